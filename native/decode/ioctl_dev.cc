// Character and block device requests of small subsystems: the random pool ('R'), watchdogs ('W'),
// network block devices (0xab), loop devices ('L'), real-time clocks ('p') and infrared
// remote controls ('i').
#include <linux/lirc.h>
#include <linux/loop.h>
#include <linux/nbd.h>
#include <linux/random.h>
#include <linux/rtc.h>
#include <linux/watchdog.h>

#include "fields.h"
#include "ioctl_internal.h"
#include "../tables/generated/xlat.h"

namespace decode {
namespace ioctl {

namespace {

// ---------------------------------------------------------------- random

void print_rand_pool_info(const Call& c, uint64_t arg) {
  rand_pool_info info;
  if (!fetch_or_addr(c, arg, &info)) return;
  Fields f(c);
  f.d("entropy_count", info.entropy_count);
  f.d("buf_size", info.buf_size);
  print_buf(f.f("buf"), arg + offsetof(rand_pool_info, buf), static_cast<uint32_t>(info.buf_size));
  f.end();
}

const Request kRandom[] = {
    req_int_out(RNDGETENTCNT), req_int_in(RNDADDTOENTCNT), req_in(RNDADDENTROPY, print_rand_pool_info),
    req_none(RNDZAPENTCNT),    req_none(RNDCLEARPOOL),     req_none(RNDRESEEDCRNG),
};

// ---------------------------------------------------------------- watchdog

const Request kWatchdog[] = {
    req_int_out(WDIOC_GETSTATUS),   req_int_out(WDIOC_GETBOOTSTATUS), req_int_out(WDIOC_GETTEMP),
    req_int_out(WDIOC_GETTIMEOUT),  req_int_out(WDIOC_GETPRETIMEOUT), req_int_out(WDIOC_GETTIMELEFT),
    req_int_in(WDIOC_SETTIMEOUT),   req_int_in(WDIOC_SETPRETIMEOUT),
    req_none(WDIOC_KEEPALIVE),  // the header says it takes an int; the kernel ignores it
};

// ---------------------------------------------------------------- network block devices

const Request kNbd[] = {
    req_none(NBD_DISCONNECT),   req_none(NBD_CLEAR_SOCK), req_none(NBD_DO_IT),
    req_none(NBD_CLEAR_QUE),    req_none(NBD_PRINT_DEBUG), req_fd(NBD_SET_SOCK),
    req_udec(NBD_SET_BLKSIZE),  req_udec(NBD_SET_SIZE),   req_udec(NBD_SET_SIZE_BLOCKS),
    req_udec(NBD_SET_TIMEOUT),  req_flags_int(NBD_SET_FLAGS, xlat_nbd_ioctl_flags, "NBD_IOC_FLAG_???"),
};

// ---------------------------------------------------------------- loop devices

// The encryption fields show without -v only when encryption is on.
void print_loop_info(const Call& c, uint64_t arg) {
  loop_info info;
  if (!fetch_or_addr(c, arg, &info)) return;
  const bool crypt = !abbrev(c) || info.lo_encrypt_type != LO_CRYPT_NONE;
  Fields f(c);
  f.d("lo_number", info.lo_number);
  if (!abbrev(c)) {
    f.dev("lo_device", info.lo_device);
    f.u("lo_inode", info.lo_inode);
    f.dev("lo_rdevice", info.lo_rdevice);
  }
  f.x("lo_offset", info.lo_offset);
  if (crypt) {
    f.xval("lo_encrypt_type", xlat_loop_crypt_type_options, static_cast<unsigned>(info.lo_encrypt_type),
           "LO_CRYPT_???");
    f.u("lo_encrypt_key_size", static_cast<unsigned>(info.lo_encrypt_key_size));
  }
  f.flags("lo_flags", xlat_loop_flags_options, static_cast<unsigned>(info.lo_flags), "LO_FLAGS_???");
  f.cstr("lo_name", info.lo_name);
  if (crypt) {
    const unsigned keylen = static_cast<unsigned>(info.lo_encrypt_key_size);
    f.str("lo_encrypt_key", info.lo_encrypt_key, keylen < LO_KEY_SIZE ? keylen : LO_KEY_SIZE);
  }
  if (abbrev(c)) {
    f.more();
  } else {
    f.xarray("lo_init", info.lo_init);
    f.xarray("reserved", info.reserved);
  }
  f.end();
}

void print_loop_info64_fields(const Call& c, const loop_info64& info) {
  const bool crypt = !abbrev(c) || info.lo_encrypt_type != LO_CRYPT_NONE;
  Fields f(c);
  if (!abbrev(c)) {
    f.dev("lo_device", info.lo_device);
    f.u("lo_inode", info.lo_inode);
    f.dev("lo_rdevice", info.lo_rdevice);
    f.x("lo_offset", info.lo_offset);
    f.u("lo_sizelimit", info.lo_sizelimit);
    f.u("lo_number", info.lo_number);
  } else {
    f.x("lo_offset", info.lo_offset);
    f.u("lo_number", info.lo_number);
  }
  if (crypt) {
    f.xval("lo_encrypt_type", xlat_loop_crypt_type_options, info.lo_encrypt_type, "LO_CRYPT_???");
    f.u("lo_encrypt_key_size", info.lo_encrypt_key_size);
  }
  f.flags("lo_flags", xlat_loop_flags_options, info.lo_flags, "LO_FLAGS_???");
  f.cstr("lo_file_name", info.lo_file_name);
  if (crypt) {
    f.cstr("lo_crypt_name", info.lo_crypt_name);
    const unsigned keylen = info.lo_encrypt_key_size;
    f.str("lo_encrypt_key", info.lo_encrypt_key, keylen < LO_KEY_SIZE ? keylen : LO_KEY_SIZE);
  }
  if (abbrev(c))
    f.more();
  else
    f.xarray("lo_init", info.lo_init);
  f.end();
}

void print_loop_info64(const Call& c, uint64_t arg) {
  loop_info64 info;
  if (fetch_or_addr(c, arg, &info)) print_loop_info64_fields(c, info);
}

void print_loop_config(const Call& c, uint64_t arg) {
  loop_config cfg;
  if (!fetch_or_addr(c, arg, &cfg)) return;
  Fields f(c);
  print_fd(f.f("fd"), static_cast<int>(cfg.fd));
  f.u("block_size", cfg.block_size);
  f.f("info");
  print_loop_info64_fields(c, cfg.info);
  bool reserved = false;
  for (uint64_t r : cfg.__reserved) reserved |= r != 0;
  if (reserved) f.xarray("__reserved", cfg.__reserved);
  f.end();
}

const Request kLoop[] = {
    req_out(LOOP_GET_STATUS, print_loop_info),     req_in(LOOP_SET_STATUS, print_loop_info),
    req_out(LOOP_GET_STATUS64, print_loop_info64), req_in(LOOP_SET_STATUS64, print_loop_info64),
    req_in(LOOP_CONFIGURE, print_loop_config),     req_none(LOOP_CLR_FD),
    req_none(LOOP_SET_CAPACITY),                   req_none(LOOP_CTL_GET_FREE),
    req_fd(LOOP_SET_FD),                           req_fd(LOOP_CHANGE_FD),
    req_dec(LOOP_CTL_ADD),                         req_dec(LOOP_CTL_REMOVE),
    req_udec(LOOP_SET_DIRECT_IO),                  req_udec(LOOP_SET_BLOCK_SIZE),
};

// ---------------------------------------------------------------- real-time clocks

void print_rtc_time_fields(const Call& c, const rtc_time& t) {
  Fields f(c);
  f.d("tm_sec", t.tm_sec);
  f.d("tm_min", t.tm_min);
  f.d("tm_hour", t.tm_hour);
  f.d("tm_mday", t.tm_mday);
  f.d("tm_mon", t.tm_mon);
  f.d("tm_year", t.tm_year);
  if (abbrev(c)) {
    f.more();
  } else {
    f.d("tm_wday", t.tm_wday);
    f.d("tm_yday", t.tm_yday);
    f.d("tm_isdst", t.tm_isdst);
  }
  f.end();
}

void print_rtc_time(const Call& c, uint64_t arg) {
  rtc_time t;
  if (fetch_or_addr(c, arg, &t)) print_rtc_time_fields(c, t);
}

void print_rtc_wkalrm(const Call& c, uint64_t arg) {
  rtc_wkalrm w;
  if (!fetch_or_addr(c, arg, &w)) return;
  Fields f(c);
  f.u("enabled", w.enabled);
  f.u("pending", w.pending);
  f.f("time");
  print_rtc_time_fields(c, w.time);
  f.end();
}

void print_rtc_pll(const Call& c, uint64_t arg) {
  rtc_pll_info p;
  if (!fetch_or_addr(c, arg, &p)) return;
  Fields f(c);
  f.d("pll_ctrl", p.pll_ctrl);
  f.d("pll_value", p.pll_value);
  f.d("pll_max", p.pll_max);
  f.d("pll_min", p.pll_min);
  f.d("pll_posmult", p.pll_posmult);
  f.d("pll_negmult", p.pll_negmult);
  f.d("pll_clock", p.pll_clock);
  f.end();
}

void print_rtc_vl(const Call& c, uint64_t arg) {
  unsigned v;
  if (!fetch_or_addr(c, arg, &v)) return;
  c.printc('[');
  print_flags_or_unknown(c, xlat_rtc_vl_flags, v, "RTC_VL_???");
  c.printc(']');
}

void print_rtc_param_value(Fields& f, const struct rtc_param& p) {
  switch (p.param) {
    case RTC_PARAM_FEATURES: f.flags("uvalue", xlat_rtc_features, p.uvalue, "1<<RTC_FEATURE_???"); break;
    case RTC_PARAM_CORRECTION: f.d("svalue", p.svalue); break;
    case RTC_PARAM_BACKUP_SWITCH_MODE:
      f.xval("uvalue", xlat_rtc_backup_switch_modes, p.uvalue, "RTC_BSM_???");
      break;
    default: f.x("uvalue", p.uvalue); break;
  }
}

// RTC_PARAM_SET: {param, value, index}. RTC_PARAM_GET: {param, index} at entry, then " => {value}".
int decode_rtc_param(Call& c, uint64_t arg, bool get) {
  c.print(c.entering() ? ", " : " => ");
  struct rtc_param p;
  if (!fetch_or_addr(c, arg, &p)) return kIoctlArgDone;
  Fields f(c);
  if (c.entering()) f.xval("param", xlat_rtc_params, p.param, "RTC_PARAM_???");
  if (c.entering() != get) print_rtc_param_value(f, p);
  if (c.entering()) f.u("index", p.index);
  if (p.__pad) f.x("__pad", p.__pad);
  f.end();
  return c.entering() && get ? 0 : kIoctlArgDone;
}

void print_ulong_at(const Call& c, uint64_t arg) {
  unsigned long v;
  if (!fetch_or_addr(c, arg, &v)) return;
  c.printf("[%lu]", v);
}

const Request kRtc[] = {
    req_out(RTC_ALM_READ, print_rtc_time), req_out(RTC_RD_TIME, print_rtc_time),
    req_in(RTC_ALM_SET, print_rtc_time),   req_in(RTC_SET_TIME, print_rtc_time),
    req_udec(RTC_IRQP_SET),                req_udec(RTC_EPOCH_SET),
    req_out(RTC_IRQP_READ, print_ulong_at), req_out(RTC_EPOCH_READ, print_ulong_at),
    req_out(RTC_WKALM_RD, print_rtc_wkalrm), req_in(RTC_WKALM_SET, print_rtc_wkalrm),
    req_out(RTC_PLL_GET, print_rtc_pll),   req_in(RTC_PLL_SET, print_rtc_pll),
    req_out(RTC_VL_READ, print_rtc_vl),    req_none(RTC_AIE_ON),
    req_none(RTC_AIE_OFF),                 req_none(RTC_UIE_ON),
    req_none(RTC_UIE_OFF),                 req_none(RTC_PIE_ON),
    req_none(RTC_PIE_OFF),                 req_none(RTC_WIE_ON),
    req_none(RTC_WIE_OFF),                 req_none(RTC_VL_CLR),
};

// ---------------------------------------------------------------- infrared (LIRC)

const Request kLirc[] = {
    req_flags_out(LIRC_GET_FEATURES, xlat_lirc_features, "LIRC_CAN_???"),
    req_xval_out(LIRC_GET_SEND_MODE, xlat_lirc_modes, "LIRC_MODE_???"),
    req_xval_out(LIRC_GET_REC_MODE, xlat_lirc_modes, "LIRC_MODE_???"),
    req_xval_in(LIRC_SET_SEND_MODE, xlat_lirc_modes, "LIRC_MODE_???"),
    req_xval_in(LIRC_SET_REC_MODE, xlat_lirc_modes, "LIRC_MODE_???"),
    req_num_out(LIRC_GET_REC_RESOLUTION, 4, "%llu"),
    req_num_out(LIRC_GET_MIN_TIMEOUT, 4, "%llu"),
    req_num_out(LIRC_GET_MAX_TIMEOUT, 4, "%llu"),
    req_num_out(LIRC_GET_LENGTH, 4, "%llu"),
    req_num_out(LIRC_GET_REC_TIMEOUT, 4, "%llu"),
    req_num_in(LIRC_SET_SEND_CARRIER, 4, "%llu"),
    req_num_in(LIRC_SET_REC_CARRIER, 4, "%llu"),
    req_num_in(LIRC_SET_SEND_DUTY_CYCLE, 4, "%llu"),
    req_num_in(LIRC_SET_TRANSMITTER_MASK, 4, "%#llx"),
    req_num_in(LIRC_SET_REC_TIMEOUT, 4, "%llu"),
    req_num_in(LIRC_SET_REC_TIMEOUT_REPORTS, 4, "%llu"),
    req_num_in(LIRC_SET_MEASURE_CARRIER_MODE, 4, "%llu"),
    req_num_in(LIRC_SET_REC_CARRIER_RANGE, 4, "%llu"),
    req_num_in(LIRC_SET_WIDEBAND_RECEIVER, 4, "%llu"),
};

}  // namespace

int lirc_ioctl(Call& c, unsigned code, uint64_t arg) { return by_table(c, code, arg, kLirc); }
int random_ioctl(Call& c, unsigned code, uint64_t arg) { return by_table(c, code, arg, kRandom); }
int watchdog_ioctl(Call& c, unsigned code, uint64_t arg) { return by_table(c, code, arg, kWatchdog); }
int nbd_ioctl(Call& c, unsigned code, uint64_t arg) { return by_table(c, code, arg, kNbd); }
int loop_ioctl(Call& c, unsigned code, uint64_t arg) { return by_table(c, code, arg, kLoop); }
int rtc_ioctl(Call& c, unsigned code, uint64_t arg) {
  if (code == RTC_PARAM_GET || code == RTC_PARAM_SET) return decode_rtc_param(c, arg, code == RTC_PARAM_GET);
  return by_table(c, code, arg, kRtc);
}

}  // namespace ioctl
}  // namespace decode
