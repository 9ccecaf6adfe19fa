// Classic BPF programs (arrays of struct sock_filter), as strace prints them with -v: one
// instruction per element, BPF_JUMP(code, k, jt, jf) when it branches, else BPF_STMT(code, k).
// This is the one disassembler: the instruction code is spelled here, and each user of classic
// BPF says how its k values read (BpfPrintK): a socket filter's packet offsets (net.cc:
// SO_ATTACH_FILTER, SO_GET_FILTER, PACKET_DIAG_FILTER), a seccomp filter's return actions
// (process.cc: seccomp, PR_SET_SECCOMP). bpf(2)'s eBPF programs (bpf.cc) share the code printer.
#include <linux/filter.h>

#include "decoder.h"
#include "fields.h"
#include "../tables/generated/xlat.h"

namespace decode {

namespace {

void print_bpf_insn(const Call& c, const sock_filter& f, BpfPrintK print_k) {
  if (f.jt || f.jf) {
    c.print("BPF_JUMP(");
    print_bpf_filter_code(c, f.code, false);
    c.printf(", %#x, %#x, %#x)", f.k, f.jt, f.jf);
    return;
  }
  c.print("BPF_STMT(");
  print_bpf_filter_code(c, f.code, false);
  c.print(", ");
  if (!print_k || !print_k(c, f)) c.printf("%#x", f.k);
  c.printc(')');
}

}  // namespace

// An instruction code: its class, then the parts that class has (BPF_LD|BPF_W|BPF_ABS,
// BPF_JMP|BPF_K|BPF_JEQ, BPF_RET|BPF_K), then any bits left over in hex with a BPF_??? comment.
// eBPF reuses classic BPF's codes: BPF_MISC is BPF_ALU64, BPF_RET is BPF_JMP32 (strace 6.1 names
// none of a BPF_JMP32 code's other bits), BPF_ST and BPF_STX have a size and a mode.
void print_bpf_filter_code(const Call& c, uint16_t code, bool extended) {
  const unsigned cls = BPF_CLASS(code);
  unsigned rest = code & ~cls;
  auto other_bits = [&] {
    if (rest) c.printf("|%#x /* BPF_??? */", rest);
  };
  print_xval(c, extended ? xlat_ebpf_class : xlat_bpf_class, cls, "BPF_???");
  switch (cls) {
    case BPF_ST:
    case BPF_STX:
      if (!extended) return other_bits();
      [[fallthrough]];
    case BPF_LD:
    case BPF_LDX:
      c.printc('|');
      print_xval(c, xlat_bpf_size, BPF_SIZE(code), "BPF_???");
      c.printc('|');
      print_xval(c, extended ? xlat_ebpf_mode : xlat_bpf_mode, BPF_MODE(code), "BPF_???");
      return;
    case BPF_MISC:  // BPF_ALU64 in eBPF
      if (!extended) {
        c.printc('|');
        print_xval(c, xlat_bpf_miscop, BPF_MISCOP(code), "BPF_???");
        rest &= ~BPF_MISCOP(code);
        return other_bits();
      }
      [[fallthrough]];
    case BPF_ALU:
    case BPF_JMP:
      c.printc('|');
      print_xval(c, xlat_bpf_src, BPF_SRC(code), "BPF_???");
      c.printc('|');
      print_xval(c, cls == BPF_JMP ? xlat_bpf_op_jmp : xlat_bpf_op_alu, BPF_OP(code), "BPF_???");
      return;
    default:  // BPF_RET; BPF_JMP32 in eBPF, whose other bits strace 6.1 does not name
      if (!extended) {
        c.printc('|');
        print_xval(c, xlat_bpf_rval, BPF_RVAL(code), "BPF_???");
        rest &= ~BPF_RVAL(code);
      }
      return other_bits();
  }
}

void print_bpf_insns(const Call& c, uint64_t addr, uint64_t len, BpfPrintK print_k) {
  if (abbrev(c)) {
    print_addr(c, addr);
    return;
  }
  // The kernel takes at most BPF_MAXINSNS instructions; strace shows no more than that either.
  print_array_upto<sock_filter>(c, addr, len, OnFailure::Read, BPF_MAXINSNS,
                                [&](const sock_filter& f) { print_bpf_insn(c, f, print_k); });
}

void print_bpf_fprog(const Call& c, uint64_t addr, BpfPrintK print_k) {
  sock_fprog prog;
  if (!fetch_or_addr(c, addr, &prog)) return;
  c.printf("{len=%u, filter=", prog.len);
  print_bpf_insns(c, reinterpret_cast<uint64_t>(prog.filter), prog.len, print_k);
  c.printc('}');
}

}  // namespace decode
