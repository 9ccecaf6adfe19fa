// Disk quotas: quotactl(QCMD(cmd, type), special, id, addr) and quotactl_fd(fd, QCMD, id, addr),
// with the VFS (if_dqblk, if_dqinfo) and XFS (fs_disk_quota, fs_quota_stat) structures.
#include <linux/dqblk_xfs.h>
#include <linux/quota.h>

#include "fields.h"
#include "../tables/generated/xlat.h"

namespace decode {
namespace {

void sep(const Call& c) { c.print(", "); }

// QCMD(Q_QUOTAON, USRQUOTA): one composite value, the number in decimal with -X raw and -X verbose.
void print_qcmd(const Call& c, uint32_t qcmd) {
  print_composite(c, qcmd, FMT_UDEC, [&] {
    c.print("QCMD(");
    print_xval(c, xlat_quotacmds, qcmd >> SUBCMDSHIFT, "Q_???");
    sep(c);
    print_xval(c, xlat_quotatypes, qcmd & SUBCMDMASK, "???QUOTA");
    c.printc(')');
  });
}

// struct if_dqblk and struct if_nextdqblk share their first fields.
template <typename T>
void print_dqblk(const Call& c, const T& d, bool next) {
  Fields f(c);
  f.u("dqb_bhardlimit", d.dqb_bhardlimit);
  f.u("dqb_bsoftlimit", d.dqb_bsoftlimit);
  f.u("dqb_curspace", d.dqb_curspace);
  f.u("dqb_ihardlimit", d.dqb_ihardlimit);
  f.u("dqb_isoftlimit", d.dqb_isoftlimit);
  f.u("dqb_curinodes", d.dqb_curinodes);
  if (!abbrev(c)) {
    f.u("dqb_btime", d.dqb_btime);
    f.u("dqb_itime", d.dqb_itime);
    f.flags("dqb_valid", xlat_if_dqblk_valid, d.dqb_valid, "QIF_???");
  }
  if constexpr (std::is_same_v<T, if_nextdqblk>) f.u("dqb_id", d.dqb_id);
  if (abbrev(c)) f.more();
  f.end();
}

void print_disk_quota(const Call& c, const fs_disk_quota& d) {
  Fields f(c);
  f.d("d_version", d.d_version);
  f.flags("d_flags", xlat_xfs_dqblk_flags, static_cast<uint8_t>(d.d_flags), "FS_???_QUOTA");
  f.x("d_fieldmask", d.d_fieldmask);
  f.u("d_id", d.d_id);
  f.u("d_blk_hardlimit", d.d_blk_hardlimit);
  f.u("d_blk_softlimit", d.d_blk_softlimit);
  f.u("d_ino_hardlimit", d.d_ino_hardlimit);
  f.u("d_ino_softlimit", d.d_ino_softlimit);
  f.u("d_bcount", d.d_bcount);
  f.u("d_icount", d.d_icount);
  if (abbrev(c)) {
    f.more();
  } else {
    f.d("d_itimer", d.d_itimer);
    f.d("d_btimer", d.d_btimer);
    f.u("d_iwarns", d.d_iwarns);
    f.u("d_bwarns", d.d_bwarns);
    f.u("d_rtb_hardlimit", d.d_rtb_hardlimit);
    f.u("d_rtb_softlimit", d.d_rtb_softlimit);
    f.u("d_rtbcount", d.d_rtbcount);
    f.d("d_rtbtimer", d.d_rtbtimer);
    f.u("d_rtbwarns", d.d_rtbwarns);
  }
  f.end();
}

template <typename T>
void print_qfilestat(Fields& outer, const char* name, const T& s) {
  Fields f(outer.f(name));
  f.u("qfs_ino", s.qfs_ino);
  f.u("qfs_nblks", s.qfs_nblks);
  f.u("qfs_nextents", s.qfs_nextents);
  f.end();
}

void print_quota_stat(const Call& c, const fs_quota_stat& q) {
  Fields f(c);
  f.d("qs_version", q.qs_version);
  if (abbrev(c)) {
    f.more();
  } else {
    f.flags("qs_flags", xlat_xfs_quota_flags, q.qs_flags, "FS_QUOTA_???");
    print_qfilestat(f, "qs_uquota", q.qs_uquota);
    print_qfilestat(f, "qs_gquota", q.qs_gquota);
    f.u("qs_incoredqs", q.qs_incoredqs);
    f.d("qs_btimelimit", q.qs_btimelimit);
    f.d("qs_itimelimit", q.qs_itimelimit);
    f.d("qs_rtbtimelimit", q.qs_rtbtimelimit);
    f.u("qs_bwarnlimit", q.qs_bwarnlimit);
    f.u("qs_iwarnlimit", q.qs_iwarnlimit);
  }
  f.end();
}

void print_quota_statv(const Call& c, const fs_quota_statv& q) {
  Fields f(c);
  f.d("qs_version", q.qs_version);
  if (abbrev(c)) {
    f.more();
  } else {
    f.flags("qs_flags", xlat_xfs_quota_flags, q.qs_flags, "FS_QUOTA_???");
    f.u("qs_incoredqs", q.qs_incoredqs);
    print_qfilestat(f, "qs_uquota", q.qs_uquota);
    print_qfilestat(f, "qs_gquota", q.qs_gquota);
    print_qfilestat(f, "qs_pquota", q.qs_pquota);
    f.d("qs_btimelimit", q.qs_btimelimit);
    f.d("qs_itimelimit", q.qs_itimelimit);
    f.d("qs_rtbtimelimit", q.qs_rtbtimelimit);
    f.u("qs_bwarnlimit", q.qs_bwarnlimit);
    f.u("qs_iwarnlimit", q.qs_iwarnlimit);
  }
  f.end();
}

// A __u32 of flags at addr: [FS_QUOTA_UDQ_ACCT].
void print_flags_at(const Call& c, uint64_t addr, const Xlat& x, const char* unknown) {
  uint32_t v;
  if (!fetch_or_addr(c, addr, &v)) return;
  c.printc('[');
  print_flags_or_unknown(c, x, v, unknown);
  c.printc(']');
}

// The arguments after the command (and the special file): id and addr as the command uses them.
int decode_cmd_data(Call& c, uint32_t id, uint32_t cmd, uint64_t data) {
  // Commands whose structure the kernel fills: ", id, " or ", " at entry, the structure at exit.
  auto out_at_exit = [&](bool with_id) {
    if (!c.entering()) return false;
    sep(c);
    if (with_id) {
      print_id(c, id);
      sep(c);
    }
    return true;
  };
  switch (cmd) {
    case Q_QUOTAOFF:
    case Q_SYNC:
    case Q_XQUOTASYNC:
      break;
    case Q_QUOTAON:
      sep(c);
      print_xval(c, xlat_quota_formats, id, "QFMT_VFS_???");
      sep(c);
      print_path(c, data);
      break;
    case Q_GETQUOTA:
    case Q_SETQUOTA: {
      if (cmd == Q_GETQUOTA && out_at_exit(true)) return 0;
      if (cmd == Q_SETQUOTA) {
        sep(c);
        print_id(c, id);
        sep(c);
      }
      if_dqblk d;
      if (fetch_or_addr(c, data, &d)) print_dqblk(c, d, false);
      break;
    }
    case Q_GETNEXTQUOTA: {
      if (out_at_exit(true)) return 0;
      if_nextdqblk d;
      if (fetch_or_addr(c, data, &d)) print_dqblk(c, d, true);
      break;
    }
    case Q_XGETQUOTA:
    case Q_XGETNEXTQUOTA:
    case Q_XSETQLIM: {
      if (cmd != Q_XSETQLIM && out_at_exit(true)) return 0;
      if (cmd == Q_XSETQLIM) {
        sep(c);
        print_id(c, id);
        sep(c);
      }
      fs_disk_quota d;
      if (fetch_or_addr(c, data, &d)) print_disk_quota(c, d);
      break;
    }
    case Q_GETFMT: {
      if (out_at_exit(false)) return 0;
      uint32_t fmt;
      if (!fetch_or_addr(c, data, &fmt)) break;
      c.printc('[');
      print_xval(c, xlat_quota_formats, fmt, "QFMT_VFS_???");
      c.printc(']');
      break;
    }
    case Q_GETINFO:
    case Q_SETINFO: {
      if (cmd == Q_GETINFO && out_at_exit(false)) return 0;
      if (cmd == Q_SETINFO) sep(c);
      if_dqinfo d;
      if (!fetch_or_addr(c, data, &d)) break;
      Fields f(c);
      f.u("dqi_bgrace", d.dqi_bgrace);
      f.u("dqi_igrace", d.dqi_igrace);
      f.flags("dqi_flags", xlat_if_dqinfo_flags, d.dqi_flags, "DQF_???");
      f.flags("dqi_valid", xlat_if_dqinfo_valid, d.dqi_valid, "IIF_???");
      f.end();
      break;
    }
    case Q_XGETQSTAT: {
      if (out_at_exit(false)) return 0;
      fs_quota_stat q;
      if (fetch_or_addr(c, data, &q)) print_quota_stat(c, q);
      break;
    }
    case Q_XGETQSTATV: {
      if (out_at_exit(false)) return 0;
      fs_quota_statv q;
      if (fetch_or_addr(c, data, &q)) print_quota_statv(c, q);
      break;
    }
    case Q_XQUOTAON:
    case Q_XQUOTAOFF:
      sep(c);
      print_flags_at(c, data, xlat_xfs_quota_flags, "FS_QUOTA_???");
      break;
    case Q_XQUOTARM:
      sep(c);
      print_flags_at(c, data, xlat_xfs_dqblk_flags, "FS_???_QUOTA");
      break;
    default:
      sep(c);
      print_id(c, id);
      sep(c);
      print_addr(c, data);
      break;
  }
  return RVAL_DECODED;
}

int sys_quotactl(Call& c) {
  const uint32_t qcmd = c.arg_uint(0);
  if (c.entering()) {
    print_qcmd(c, qcmd);
    sep(c);
    print_path(c, c.arg(1));
  }
  return decode_cmd_data(c, c.arg_uint(2), qcmd >> SUBCMDSHIFT, c.arg(3));
}

int sys_quotactl_fd(Call& c) {
  const uint32_t qcmd = c.arg_uint(1);
  if (c.entering()) {
    print_fd(c, c.arg_int(0));
    sep(c);
    print_qcmd(c, qcmd);
  }
  return decode_cmd_data(c, c.arg_uint(2), qcmd >> SUBCMDSHIFT, c.arg(3));
}

const NamedDecoder kQuotaDecoders[] = {
    {"quotactl", sys_quotactl},
    {"quotactl_fd", sys_quotactl_fd},
};

}  // namespace

const DecoderFamily family_quota = {kQuotaDecoders, sizeof kQuotaDecoders / sizeof kQuotaDecoders[0]};

}  // namespace decode
