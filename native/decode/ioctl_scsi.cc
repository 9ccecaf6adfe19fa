// SCSI generic requests (0x22, scsi/sg.h): SG_IO with a v3 (struct sg_io_hdr, 'S') or a v4 (struct
// sg_io_v4, 'Q', the bsg interface) header, the device's id and request table, and the integer
// settings of the sg driver.
#include <linux/bsg.h>
#include <scsi/sg.h>

#include <cstddef>

#include "fields.h"
#include "ioctl_internal.h"
#include "../tables/generated/xlat.h"

namespace decode {
namespace ioctl {

namespace {

constexpr unsigned kSgGetAccessCount = 0x2289;  // SG_GET_ACCESS_COUNT, gone from glibc's scsi/sg.h

// A data buffer of an SG_IO header: len bytes in hex, or len bytes spread over iovec_count iovecs.
// strace reads them even when the call failed (the header says what was transferred).
void print_sg_buffer(const Call& c, uint64_t addr, unsigned len, unsigned iovec_count) {
  Call read_anyway = c;
  read_anyway.error = 0;
  if (iovec_count)
    print_iov(read_anyway, addr, iovec_count, len);
  else
    print_buf_hex(read_anyway, addr, len);
}

// ---------------------------------------------------------------- v3

// At entry: what goes to the device. The header as read then is kept for the exit.
int sg_io_v3_request(Call& c, uint64_t arg) {
  sg_io_hdr h;
  c.print("{interface_id='S', ");
  constexpr size_t skip = offsetof(sg_io_hdr, dxfer_direction);
  if (!read_mem(c, arg + skip, reinterpret_cast<char*>(&h) + skip, sizeof h - skip)) {
    print_addr(c, arg + skip);
    c.printc('}');
    return kIoctlArgDone;
  }
  Fields f(c, false);
  f.xval("dxfer_direction", xlat_sg_io_dxfer_direction, static_cast<unsigned>(h.dxfer_direction),
         "SG_DXFER_???");
  f.u("cmd_len", h.cmd_len);
  print_buf_hex(f.f("cmdp"), reinterpret_cast<uint64_t>(h.cmdp), h.cmd_len);
  f.u("mx_sb_len", h.mx_sb_len);
  f.u("iovec_count", h.iovec_count);
  f.u("dxfer_len", h.dxfer_len);
  f.u("timeout", h.timeout);
  f.flags("flags", xlat_sg_io_flags, h.flags, "SG_FLAG_???");
  if (h.dxfer_direction == SG_DXFER_TO_DEV || h.dxfer_direction == SG_DXFER_TO_FROM_DEV)
    print_sg_buffer(f.f("dxferp"), reinterpret_cast<uint64_t>(h.dxferp), h.dxfer_len, h.iovec_count);
  c.saved[0] = static_cast<uint64_t>(static_cast<int64_t>(h.dxfer_direction));
  c.saved[1] = reinterpret_cast<uint64_t>(h.dxferp);
  c.saved[2] = reinterpret_cast<uint64_t>(h.sbp);
  return 0;
}

// At exit: what came back (the addresses read at entry when the header cannot be read again).
void sg_io_v3_response(Call& c, uint64_t arg) {
  sg_io_hdr h;
  Fields f(c, false, 1);
  const int entry_dir = static_cast<int>(static_cast<int64_t>(c.saved[0]));
  if (!read_obj(c, arg, &h)) {
    if (entry_dir == SG_DXFER_FROM_DEV) f.ptr("dxferp", c.saved[1]);
    f.ptr("sbp", c.saved[2]);
    return;
  }
  if (h.interface_id != 'S') {
    c.print(" => ");
    Fields(c, false).u("interface_id", static_cast<unsigned>(h.interface_id));
    return;
  }
  if (h.dxfer_direction == SG_DXFER_FROM_DEV || h.dxfer_direction == SG_DXFER_TO_FROM_DEV) {
    unsigned din_len = h.dxfer_len;
    if (h.resid > 0 && static_cast<unsigned>(h.resid) <= din_len) din_len -= h.resid;
    if (h.dxfer_direction == SG_DXFER_FROM_DEV) {
      print_sg_buffer(f.f("dxferp"), reinterpret_cast<uint64_t>(h.dxferp), din_len, h.iovec_count);
    } else if (din_len) {
      c.print(" => ");
      print_sg_buffer(Fields(c, false).f("dxferp"), reinterpret_cast<uint64_t>(h.dxferp), din_len, h.iovec_count);
    }
  }
  f.x("status", h.status);
  f.x("masked_status", h.masked_status);
  f.x("msg_status", h.msg_status);
  f.u("sb_len_wr", h.sb_len_wr);
  print_buf_hex(f.f("sbp"), reinterpret_cast<uint64_t>(h.sbp), h.sb_len_wr);
  f.x("host_status", h.host_status);
  f.x("driver_status", h.driver_status);
  f.d("resid", h.resid);
  f.u("duration", h.duration);
  f.flags("info", xlat_sg_io_info, h.info, "SG_INFO_???");
}

// ---------------------------------------------------------------- v4

int sg_io_v4_request(Call& c, uint64_t arg) {
  sg_io_v4 h;
  c.print("{guard='Q', ");
  constexpr size_t skip = offsetof(sg_io_v4, protocol);
  if (!read_mem(c, arg + skip, reinterpret_cast<char*>(&h) + skip, sizeof h - skip)) {
    print_addr(c, arg + skip);
    c.printc('}');
    return kIoctlArgDone;
  }
  Fields f(c, false);
  f.xval("protocol", xlat_bsg_protocol, h.protocol, "BSG_PROTOCOL_???");
  f.xval("subprotocol", xlat_bsg_subprotocol, h.subprotocol, "BSG_SUB_PROTOCOL_???");
  f.u("request_len", h.request_len);
  print_buf_hex(f.f("request"), h.request, h.request_len);
  f.x("request_tag", h.request_tag);
  f.u("request_attr", h.request_attr);
  f.u("request_priority", h.request_priority);
  f.u("request_extra", h.request_extra);
  f.u("max_response_len", h.max_response_len);
  f.u("dout_iovec_count", h.dout_iovec_count);
  f.u("dout_xfer_len", h.dout_xfer_len);
  f.u("din_iovec_count", h.din_iovec_count);
  f.u("din_xfer_len", h.din_xfer_len);
  print_sg_buffer(f.f("dout_xferp"), h.dout_xferp, h.dout_xfer_len, h.dout_iovec_count);
  f.u("timeout", h.timeout);
  f.flags("flags", xlat_bsg_flags, h.flags, "BSG_FLAG_???");
  f.x("usr_ptr", h.usr_ptr);
  c.saved[1] = h.response;
  c.saved[2] = h.din_xferp;
  return 0;
}

void sg_io_v4_response(Call& c, uint64_t arg) {
  sg_io_v4 h;
  Fields f(c, false, 1);
  if (!read_obj(c, arg, &h)) {
    f.x("response", c.saved[1]);
    f.x("din_xferp", c.saved[2]);
    return;
  }
  if (h.guard != 'Q') {
    c.print(" => ");
    Fields(c, false).u("guard", static_cast<unsigned>(h.guard));
    return;
  }
  f.u("response_len", h.response_len);
  print_buf_hex(f.f("response"), h.response, h.response_len);
  unsigned din_len = h.din_xfer_len;
  if (h.din_resid > 0 && static_cast<unsigned>(h.din_resid) <= din_len) din_len -= h.din_resid;
  print_sg_buffer(f.f("din_xferp"), h.din_xferp, din_len, h.din_iovec_count);
  f.x("driver_status", h.driver_status);
  f.x("transport_status", h.transport_status);
  f.x("device_status", h.device_status);
  f.u("retry_delay", h.retry_delay);
  f.flags("info", xlat_sg_io_info, h.info, "SG_INFO_???");
  f.u("duration", h.duration);
  f.u("response_len", h.response_len);
  f.d("din_resid", h.din_resid);
  f.d("dout_resid", h.dout_resid);
  f.x("generated_tag", h.generated_tag);
}

// SG_IO: the header's first int says which one it is ('S' or 'Q'); another value is shown alone.
// The version found at entry is kept for the exit (c.saved[3]); the structure is closed there.
int decode_sg_io(Call& c, uint64_t arg) {
  if (c.entering()) {
    c.print(", ");
    uint32_t iid;
    if (!fetch_or_addr(c, arg, &iid)) return kIoctlArgDone;
    c.saved[3] = iid;
    if (iid == 'S') return sg_io_v3_request(c, arg);
    if (iid == 'Q') return sg_io_v4_request(c, arg);
    c.printf("[%u]", iid);
    return kIoctlArgDone;
  }
  // strace reads the header back even after a failure: the kernel may have filled it in part.
  if (c.saved[3] == 'S')
    sg_io_v3_response(c, arg);
  else
    sg_io_v4_response(c, arg);
  c.printc('}');
  return kIoctlArgDone;
}

// ---------------------------------------------------------------- the rest

void print_scsi_id(const Call& c, uint64_t arg) {
  sg_scsi_id id;
  if (!fetch_or_addr(c, arg, &id)) return;
  Fields f(c);
  f.d("host_no", id.host_no);
  f.d("channel", id.channel);
  f.x("scsi_id", id.scsi_id);
  f.d("lun", id.lun);
  f.x("scsi_type", id.scsi_type);
  f.d("h_cmd_per_lun", id.h_cmd_per_lun);
  f.d("d_queue_depth", id.d_queue_depth);
  f.end();
}

void print_req_info(const Call& c, uint64_t arg) {
  sg_req_info r;
  if (!fetch_or_addr(c, arg, &r)) return;
  Fields f(c);
  f.d("req_state", r.req_state);
  f.d("orphan", r.orphan);
  f.d("sg_io_owned", r.sg_io_owned);
  f.d("problem", r.problem);
  f.d("pack_id", r.pack_id);
  f.ptr("usr_ptr", reinterpret_cast<uint64_t>(r.usr_ptr));
  f.u("duration", r.duration);
  f.end();
}

// SG_SCSI_RESET: the reset kind, with the "no escalation" bit before it.
void print_scsi_reset(const Call& c, uint64_t arg) {
  unsigned v;
  if (!fetch_or_addr(c, arg, &v)) return;
  constexpr unsigned kNoEscalate = 0x100;  // SG_SCSI_RESET_NO_ESCALATE
  c.printc('[');
  if (v & kNoEscalate) {
    print_xval(c, xlat_sg_scsi_reset, kNoEscalate);
    c.printc('|');
  }
  print_xval(c, xlat_sg_scsi_reset, v & ~kNoEscalate, "SG_SCSI_RESET_???");
  c.printc(']');
}

const Request kScsi[] = {
    req_out(SG_GET_SCSI_ID, print_scsi_id),
    req_out(SG_GET_REQUEST_TABLE, print_req_info),
    req_in(SG_SCSI_RESET, print_scsi_reset),
    req_int_in(SG_NEXT_CMD_LEN),
    req_int_in(SG_SET_COMMAND_Q),
    req_int_in(SG_SET_DEBUG),
    req_int_in(SG_SET_FORCE_LOW_DMA),
    req_int_in(SG_SET_FORCE_PACK_ID),
    req_int_in(SG_SET_KEEP_ORPHAN),
    req_int_in(SG_SET_RESERVED_SIZE),
    req_int_in(SG_SET_TIMEOUT),
    req_int_out(SG_EMULATED_HOST),
    req_int_out(kSgGetAccessCount),
    req_int_out(SG_GET_COMMAND_Q),
    req_int_out(SG_GET_KEEP_ORPHAN),
    req_int_out(SG_GET_LOW_DMA),
    req_int_out(SG_GET_NUM_WAITING),
    req_int_out(SG_GET_PACK_ID),
    req_int_out(SG_GET_RESERVED_SIZE),
    req_int_out(SG_GET_SG_TABLESIZE),
    req_int_out(SG_GET_TRANSFORM),
    req_int_out(SG_GET_VERSION_NUM),
    req_in(SG_SET_TRANSFORM, [](const Call& c, uint64_t arg) { print_hex(c, static_cast<unsigned>(arg)); }),
    req_none(SG_GET_TIMEOUT),
};

}  // namespace

int scsi_ioctl(Call& c, unsigned code, uint64_t arg) {
  if (code == SG_IO) return decode_sg_io(c, arg);
  return by_table(c, code, arg, kScsi);
}

}  // namespace ioctl
}  // namespace decode
