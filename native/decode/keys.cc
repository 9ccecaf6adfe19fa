// The kernel key management calls: add_key, request_key and keyctl with each of its commands.
#include <linux/keyctl.h>

#include <cinttypes>

#include "fields.h"
#include "../tables/generated/xlat.h"

namespace decode {
namespace {

void sep(const Call& c) { c.print(", "); }

// A key serial number: KEY_SPEC_SESSION_KEYRING and the like by name, others in decimal.
void print_key(const Call& c, int32_t id) { print_xval_d(c, xlat_key_spec, id); }

// An errno value given as an argument: its name, or the number (-X: as any named constant).
void print_err_arg(const Call& c, unsigned err) { print_errno_val(c, err, false); }

// add_key(type, description, payload, plen, keyring)
int sys_add_key(Call& c) {
  print_cstr(c, c.arg(0));
  sep(c);
  print_cstr(c, c.arg(1));
  sep(c);
  print_buf(c, c.arg(2), c.arg(3));
  c.printf(", %" PRIu64 ", ", c.arg(3));
  print_key(c, c.arg_int(4));
  return RVAL_DECODED;
}

// request_key(type, description, callout_info, dest_keyring)
int sys_request_key(Call& c) {
  print_cstr(c, c.arg(0));
  sep(c);
  print_cstr(c, c.arg(1));
  sep(c);
  print_cstr(c, c.arg(2));
  sep(c);
  print_key(c, c.arg_int(3));
  return RVAL_DECODED;
}

// What the kernel wrote into a buffer of len bytes: no more than the return value says.
uint64_t returned_len(const Call& c, uint64_t len) {
  return c.rval >= 0 && static_cast<uint64_t>(c.rval) > len ? len : static_cast<uint64_t>(c.rval);
}

// KEYCTL_DESCRIBE/READ/GET_SECURITY(key, buffer, buflen): the text the kernel returned at exit.
int keyctl_read(Call& c, int32_t key, uint64_t buf, uint64_t len, bool has_nul) {
  if (c.entering()) {
    print_key(c, key);
    sep(c);
    return 0;
  }
  if (c.failed()) {
    print_addr(c, buf);
  } else {
    // A description or security label ends in a NUL that is not part of the text.
    uint64_t n = returned_len(c, len);
    if (has_nul && n) {
      char last = 1;
      if (read_obj(c, buf + n - 1, &last) && last == '\0' && n <= (c.opts ? c.opts->strsize : 32)) n--;
    }
    print_str_ex(c, buf, n, false);
  }
  c.printf(", %" PRIu64, len);
  return 0;
}

void print_dh_params(const Call& c, uint64_t addr) {
  keyctl_dh_params p;
  if (!fetch_or_addr(c, addr, &p)) return;
  Fields f(c);
  print_key(f.f("private"), p.priv);
  print_key(f.f("prime"), p.prime);
  print_key(f.f("base"), p.base);
  f.end();
}

// KEYCTL_DH_COMPUTE(params, buffer, buflen, kdf)
int keyctl_dh_compute(Call& c) {
  if (c.entering()) {
    print_dh_params(c, c.arg(1));
    sep(c);
    return 0;
  }
  if (c.failed())
    print_addr(c, c.arg(2));
  else
    print_buf(c, c.arg(2), returned_len(c, c.arg(3)));
  c.printf(", %" PRIu64 ", ", c.arg(3));
  // Read whether or not the call failed: the kernel looked at it either way.
  keyctl_kdf_params kdf;
  if (c.arg(4) == 0 || !read_obj(c, c.arg(4), &kdf)) {
    print_addr(c, c.arg(4));
    return 0;
  }
  Fields f(c);
  print_cstr(f.f("hashname"), reinterpret_cast<uint64_t>(kdf.hashname));
  // The kernel does not look at otherinfo when its length is 0.
  if (kdf.otherinfolen)
    print_buf(f.f("otherinfo"), reinterpret_cast<uint64_t>(kdf.otherinfo), kdf.otherinfolen);
  else
    f.ptr("otherinfo", reinterpret_cast<uint64_t>(kdf.otherinfo));
  f.u("otherinfolen", kdf.otherinfolen);
  bool spare = false;
  for (uint32_t v : kdf.__spare) spare |= v != 0;
  if (spare) f.xarray("__spare", kdf.__spare);
  f.end();
  return 0;
}

// KEYCTL_PKEY_QUERY(key, reserved, info, result)
int keyctl_pkey_query(Call& c) {
  if (c.entering()) {
    print_key(c, c.arg_int(1));
    c.printf(", %#" PRIx64 ", ", c.arg(2));
    print_cstr(c, c.arg(3));
    sep(c);
    return 0;
  }
  struct keyctl_pkey_query q;
  if (!fetch_or_addr(c, c.arg(4), &q)) return 0;
  Fields f(c);
  f.flags("supported_ops", xlat_keyctl_pkey_ops, q.supported_ops, "KEYCTL_SUPPORTS_???");
  f.u("key_size", q.key_size);
  f.u("max_data_size", q.max_data_size);
  f.u("max_sig_size", q.max_sig_size);
  f.u("max_enc_size", q.max_enc_size);
  f.u("max_dec_size", q.max_dec_size);
  bool spare = false;
  for (uint32_t v : q.__spare) spare |= v != 0;
  if (spare) f.xarray("__spare", q.__spare);
  f.end();
  return 0;
}

// KEYCTL_PKEY_{ENCRYPT,DECRYPT,SIGN,VERIFY}(params, info, in, out_or_in2): the output buffer of the
// first three at exit, as long as params.out_len says.
int keyctl_pkey_op(Call& c, bool out) {
  const uint64_t op1 = c.arg(3), op2 = c.arg(4);
  if (!c.entering()) {
    if (c.failed())
      print_addr(c, op2);
    else
      print_buf(c, op2, c.saved[0]);
    return 0;
  }
  keyctl_pkey_params p;
  const bool read = fetch_or_addr(c, c.arg(1), &p);
  if (read) {
    Fields f(c);
    print_key(f.f("key_id"), p.key_id);
    f.u("in_len", p.in_len);
    if (out)
      f.u("out_len", p.out_len);
    else
      f.u("in2_len", p.in2_len);
    bool spare = false;
    for (uint32_t v : p.__spare) spare |= v != 0;
    if (spare) f.xarray("__spare", p.__spare);
    f.end();
    if (out) c.saved[0] = p.out_len;
  }
  sep(c);
  print_cstr(c, c.arg(2));
  sep(c);
  if (read)
    print_buf(c, op1, p.in_len);
  else
    print_addr(c, op1);
  sep(c);
  if (!out || !read) {
    if (read)
      print_buf(c, op2, p.in2_len);
    else
      print_addr(c, op2);
  }
  return read && out ? 0 : RVAL_DECODED;
}

// KEYCTL_CAPABILITIES(buffer, buflen): a byte of KEYCTL_CAPS0_* bits, one of KEYCTL_CAPS1_*, then hex.
int keyctl_capabilities(Call& c) {
  if (c.entering()) return 0;
  if (c.failed()) {
    print_addr(c, c.arg(1));
  } else {
    const uint64_t n = c.arg(2) < static_cast<uint64_t>(c.rval) ? c.arg(2) : static_cast<uint64_t>(c.rval);
    unsigned pos = 0;
    print_array<uint8_t>(c, c.arg(1), n, [&](uint8_t b) {
      if (pos == 0)
        print_flags_or_unknown(c, xlat_keyctl_caps0, b, "KEYCTL_CAPS0_???");
      else if (pos == 1)
        print_flags_or_unknown(c, xlat_keyctl_caps1, b, "KEYCTL_CAPS1_???");
      else
        c.printf("%#x", b);
      pos++;
    });
  }
  c.printf(", %" PRIu64, c.arg(2));
  return 0;
}

int sys_keyctl(Call& c) {
  const int cmd = c.arg_int(0);
  const uint64_t a2 = c.arg(1), a3 = c.arg(2), a4 = c.arg(3), a5 = c.arg(4);
  if (c.entering()) {
    print_xval(c, xlat_keyctl_commands, static_cast<unsigned>(cmd), "KEYCTL_???");
    if (cmd != KEYCTL_SESSION_TO_PARENT) sep(c);
  }
  switch (cmd) {
    case KEYCTL_GET_KEYRING_ID:
      print_key(c, static_cast<int32_t>(a2));
      c.printf(", %d", static_cast<int>(a3));
      break;
    case KEYCTL_JOIN_SESSION_KEYRING:
      print_cstr(c, a2);
      break;
    case KEYCTL_UPDATE:
      print_key(c, static_cast<int32_t>(a2));
      sep(c);
      print_buf(c, a3, a4);
      c.printf(", %" PRIu64, a4);
      break;
    case KEYCTL_REVOKE:
    case KEYCTL_CLEAR:
    case KEYCTL_INVALIDATE:
    case KEYCTL_ASSUME_AUTHORITY:
      print_key(c, static_cast<int32_t>(a2));
      break;
    case KEYCTL_LINK:
    case KEYCTL_UNLINK:
      print_key(c, static_cast<int32_t>(a2));
      sep(c);
      print_key(c, static_cast<int32_t>(a3));
      break;
    case KEYCTL_DESCRIBE:
    case KEYCTL_READ:
    case KEYCTL_GET_SECURITY:
      return keyctl_read(c, static_cast<int32_t>(a2), a3, a4, cmd != KEYCTL_READ);
    case KEYCTL_SEARCH:
      print_key(c, static_cast<int32_t>(a2));
      sep(c);
      print_cstr(c, a3);
      sep(c);
      print_cstr(c, a4);
      sep(c);
      print_key(c, static_cast<int32_t>(a5));
      break;
    case KEYCTL_CHOWN:
      print_key(c, static_cast<int32_t>(a2));
      sep(c);
      print_id(c, static_cast<uint32_t>(a3));
      sep(c);
      print_id(c, static_cast<uint32_t>(a4));
      break;
    case KEYCTL_SETPERM:
      print_key(c, static_cast<int32_t>(a2));
      sep(c);
      print_flags_or_unknown(c, xlat_key_perms, static_cast<uint32_t>(a3), "KEY_???");
      break;
    case KEYCTL_INSTANTIATE:
    case KEYCTL_INSTANTIATE_IOV:
      print_key(c, static_cast<int32_t>(a2));
      sep(c);
      if (cmd == KEYCTL_INSTANTIATE)
        print_buf(c, a3, a4);
      else
        print_iov(c, a3, a4, -1);
      c.printf(", %" PRIu64 ", ", a4);
      print_key(c, static_cast<int32_t>(a5));
      break;
    case KEYCTL_NEGATE:
      print_key(c, static_cast<int32_t>(a2));
      c.printf(", %u, ", static_cast<unsigned>(a3));
      print_key(c, static_cast<int32_t>(a4));
      break;
    case KEYCTL_SET_REQKEY_KEYRING:
      print_xval_d(c, xlat_key_reqkeys, static_cast<int>(a2), "KEY_REQKEY_DEFL_???");
      break;
    case KEYCTL_SET_TIMEOUT:
      print_key(c, static_cast<int32_t>(a2));
      c.printf(", %u", static_cast<unsigned>(a3));
      break;
    case KEYCTL_SESSION_TO_PARENT:
      break;
    case KEYCTL_REJECT:
      print_key(c, static_cast<int32_t>(a2));
      c.printf(", %u, ", static_cast<unsigned>(a3));
      print_err_arg(c, static_cast<unsigned>(a4));
      sep(c);
      print_key(c, static_cast<int32_t>(a5));
      break;
    case KEYCTL_GET_PERSISTENT:
      print_id(c, static_cast<uint32_t>(a2));
      sep(c);
      print_key(c, static_cast<int32_t>(a3));
      break;
    case KEYCTL_DH_COMPUTE:
      return keyctl_dh_compute(c);
    case KEYCTL_PKEY_QUERY:
      return keyctl_pkey_query(c);
    case KEYCTL_PKEY_ENCRYPT:
    case KEYCTL_PKEY_DECRYPT:
    case KEYCTL_PKEY_SIGN:
      return keyctl_pkey_op(c, true);
    case KEYCTL_PKEY_VERIFY:
      keyctl_pkey_op(c, false);
      break;
    case KEYCTL_RESTRICT_KEYRING:
      print_key(c, static_cast<int32_t>(a2));
      sep(c);
      print_cstr(c, a3);
      sep(c);
      print_cstr(c, a4);
      break;
    case KEYCTL_MOVE:
      print_key(c, static_cast<int32_t>(a2));
      sep(c);
      print_key(c, static_cast<int32_t>(a3));
      sep(c);
      print_key(c, static_cast<int32_t>(a4));
      sep(c);
      print_flags_or_unknown(c, xlat_keyctl_move_flags, static_cast<uint32_t>(a5), "KEYCTL_MOVE_???");
      break;
    case KEYCTL_CAPABILITIES:
      return keyctl_capabilities(c);
    default:
      c.printf("%#" PRIx64 ", %#" PRIx64 ", %#" PRIx64 ", %#" PRIx64, a2, a3, a4, a5);
      break;
  }
  return RVAL_DECODED;
}

const NamedDecoder kKeyDecoders[] = {
    {"add_key", sys_add_key},
    {"request_key", sys_request_key},
    {"keyctl", sys_keyctl},
};

}  // namespace

const DecoderFamily family_keys = {kKeyDecoders, sizeof kKeyDecoders / sizeof kKeyDecoders[0]};

}  // namespace decode
