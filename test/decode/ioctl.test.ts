// ioctl requests of several subsystems against the text strace 6.1 prints for them (decode_ioctl.c):
// names from the uapi headers (two names for one number, _IOC for none), parameters carried in the
// request number, and each subsystem's argument: values, descriptors, flags and structures.
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';

import { fixturePath } from '../helpers/fixtures.js';
import { tracePlain } from '../helpers/plain.js';
import { normalizeLines } from './expect-lines.js';

let prog = '';
before(() => {
  prog = fixturePath('decode_ioctl');
});

const EBADF = ' = -1 EBADF (Bad file descriptor)';

describe('ioctl requests', () => {
  it('names each request and decodes its argument as the owning subsystem does', async () => {
    const r = await tracePlain(['-e', 'trace=ioctl'], [prog]);
    assert.equal(r.status, 0, r.stderr);
    assert.deepEqual(normalizeLines(r.lines), [
      // The event type, axis and buffer size are part of the request number.
      'ioctl(-1, EVIOCGBIT(EV_KEY, 96), NULL)' + EBADF,
      'ioctl(-1, EVIOCGABS(ABS_Y), NULL)' + EBADF,
      'ioctl(-1, EVIOCGABS(0xe /* ABS_??? */), NULL)' + EBADF,
      'ioctl(-1, EVIOCGNAME(64), NULL)' + EBADF,
      // No decoder of their own: the argument in hex.
      'ioctl(-1, HIDIOCGPHYS(8), 0)' + EBADF,
      'ioctl(-1, HIDIOCGFEATURE(16), 0)' + EBADF,
      // strace 6.1 calls this read-only request HIDIOCSFEATURE(16): hiddev.h names it HIDIOCGNAME.
      'ioctl(-1, HIDIOCGNAME(16), 0)' + EBADF,
      'ioctl(-1, HIDIOCGRDESCSIZE or HIDIOCGVERSION, 0)' + EBADF,
      'ioctl(-1, JSIOCGNAME(32), 0)' + EBADF,
      'ioctl(-1, ZFS_IOC_SEND_SPACE, 0)' + EBADF,
      'ioctl(-1, EVIOCSREP, [250, 33])' + EBADF,
      'ioctl(-1, LOOP_SET_FD, 5)' + EBADF,
      'ioctl(-1, LOOP_CTL_ADD, 7)' + EBADF,
      // Without -v the loop structure leaves out the device numbers and, with no encryption, the key.
      'ioctl(-1, LOOP_SET_STATUS64, {lo_offset=0x1000, lo_number=3, lo_flags=LO_FLAGS_READ_ONLY|LO_FLAGS_AUTOCLEAR, lo_file_name="/tmp/disk.img", ...})' + EBADF,
      'ioctl(-1, RTC_SET_TIME, {tm_sec=1, tm_min=2, tm_hour=3, tm_mday=4, tm_mon=5, tm_year=106, ...})' + EBADF,
      // A request without an argument shows none.
      'ioctl(-1, RTC_AIE_ON)' + EBADF,
      'ioctl(-1, WDIOC_SETTIMEOUT, [30])' + EBADF,
      'ioctl(-1, NBD_SET_FLAGS, NBD_FLAG_READ_ONLY|NBD_FLAG_SEND_TRIM|0x10000)' + EBADF,
      // A result pointer of a failed call: NULL stays NULL.
      'ioctl(-1, RNDGETENTCNT, NULL)' + EBADF,
      'ioctl(-1, FS_IOC_SETFLAGS, [FS_IMMUTABLE_FL|FS_NOATIME_FL|FS_CASEFOLD_FL])' + EBADF,
      'ioctl(-1, FS_IOC_SETFLAGS, [0xd000000 /* FS_???_FL */])' + EBADF,
      'ioctl(-1, FS_IOC_FIEMAP, {fm_start=0, fm_length=1048576, fm_flags=FIEMAP_FLAG_SYNC, fm_extent_count=4})' + EBADF,
      'ioctl(-1, BLKRASET, 256)' + EBADF,
      'ioctl(-1, BLKDISCARD, [0, 1048576])' + EBADF,
      'ioctl(-1, SECCOMP_IOCTL_NOTIF_SEND, {id=0x1234, val=-1, error=-ENOENT, flags=SECCOMP_USER_NOTIF_FLAG_CONTINUE})' + EBADF,
      'ioctl(-1, SECCOMP_IOCTL_NOTIF_ADDFD, {id=0x7, flags=SECCOMP_ADDFD_FLAG_SETFD, srcfd=0, newfd=9, newfd_flags=O_CLOEXEC})' + EBADF,
      // The kernel wants the buffer zeroed: one that is not shows at entry, then where it was to be filled.
      'ioctl(-1, SECCOMP_IOCTL_NOTIF_RECV, {id=0x5, pid=0, flags=0, data={nr=__NR_getpid, arch=AUDIT_ARCH_X86_64, instruction_pointer=NULL, args=[0x10, 0, 0, 0, 0, 0]}} => 0xADDR)' + EBADF,
      'ioctl(-1, SECCOMP_IOCTL_NOTIF_ID_VALID, [0x2a])' + EBADF,
      'ioctl(-1, GPIO_GET_LINEHANDLE_IOCTL, {lines=2, lineoffsets=[4, 17], flags=GPIOHANDLE_REQUEST_OUTPUT|GPIOHANDLE_REQUEST_ACTIVE_LOW, default_values=[0, 1], consumer_label="blink"})' + EBADF,
      // A known attribute shows its one member; an unknown id shows the raw attribute.
      'ioctl(-1, GPIO_V2_LINE_SET_CONFIG_IOCTL, {flags=GPIO_V2_LINE_FLAG_INPUT, num_attrs=2, attrs=[{values=0x5, mask=0x7}, {attr={id=9, data=0x10}, mask=0x1}]})' + EBADF,
      'ioctl(-1, PTP_PEROUT_REQUEST2, {phase={sec=1, nsec=0}, period={sec=0, nsec=500000000}, index=2, flags=PTP_PEROUT_DUTY_CYCLE|PTP_PEROUT_PHASE, on={sec=0, nsec=250000000}})' + EBADF,
      'ioctl(-1, PTP_PIN_SETFUNC, {index=1, func=PTP_PF_EXTTS, chan=0})' + EBADF,
      'ioctl(-1, LIRC_SET_SEND_MODE, [LIRC_MODE_PULSE])' + EBADF,
      'ioctl(-1, LIRC_SET_TRANSMITTER_MASK, [0x3])' + EBADF,
      'ioctl(-1, TIOCMBIS, [TIOCM_DTR|TIOCM_RTS])' + EBADF,
      'ioctl(-1, TIOCMSET, [0x10000 /* TIOCM_??? */])' + EBADF,
      'ioctl(-1, TCSETS2, {c_iflag=ICRNL, c_oflag=NL0|CR0|TAB0|BS0|VT0|FF0|, c_cflag=B9600|CS8|CREAD, c_lflag=ICANON|ECHO, ...})' + EBADF,
      'ioctl(-1, UFFDIO_REGISTER, {range={start=0x10000, len=0x2000}, mode=UFFDIO_REGISTER_MODE_MISSING})' + EBADF,
      'ioctl(-1, UBI_IOCMKVOL, {vol_id=1, alignment=1, bytes=1048576, vol_type=UBI_DYNAMIC_VOLUME, flags=0, name_len=4, name="root"...})' + EBADF,
      // What a value means beyond its number goes in a comment: a tone's frequency, a key's symbol.
      'ioctl(-1, KIOCSOUND, 1000 /* 1193 Hz */)' + EBADF,
      'ioctl(-1, KDSKBENT, {kb_table=K_NORMTAB, kb_index=59, kb_value=0x100 /* K_F1 */})' + EBADF,
      "ioctl(-1, KDSKBDIACR, {kb_cnt=1, kbdiacr=[{diacr='`', base='e', result='\\n'}]})" + EBADF,
      'ioctl(-1, SG_SCSI_RESET, [SG_SCSI_RESET_NO_ESCALATE|SG_SCSI_RESET_DEVICE])' + EBADF,
      // The header is read back at exit even though the call failed.
      'ioctl(-1, SG_IO, {interface_id=\'S\', dxfer_direction=SG_DXFER_NONE, cmd_len=6, cmdp="\\x12\\x00\\x00\\x00\\x24\\x00", mx_sb_len=0, iovec_count=0, dxfer_len=0, timeout=1000, flags=0, status=0, masked_status=0, msg_status=0, sb_len_wr=0, sbp=NULL, host_status=0, driver_status=0, resid=0, duration=0, info=0})' + EBADF,
      // A video format: the fourcc as four characters with its name in a comment.
      "ioctl(-1, VIDIOC_S_FMT, {type=V4L2_BUF_TYPE_VIDEO_CAPTURE, fmt.pix={width=640, height=480, pixelformat=v4l2_fourcc('Y', 'U', 'Y', 'V') /* V4L2_PIX_FMT_YUYV */, field=V4L2_FIELD_NONE, bytesperline=1280, sizeimage=614400, colorspace=V4L2_COLORSPACE_SRGB}})" + EBADF,
      'ioctl(-1, VIDIOC_S_CTRL, {id=V4L2_CID_BRIGHTNESS, value=-5})' + EBADF,
      // A control id with no name of its own is an offset into its control class.
      'ioctl(-1, VIDIOC_G_CTRL, {id=V4L2_CTRL_CLASS_CAMERA+0x42})' + EBADF,
      'ioctl(-1, VIDIOC_QUERYCTRL, {id=V4L2_CTRL_FLAG_NEXT_CTRL|V4L2_CID_BRIGHTNESS})' + EBADF,
      'ioctl(-1, VIDIOC_STREAMON, [V4L2_BUF_TYPE_VIDEO_CAPTURE])' + EBADF,
      // A socket request's structure that strace does not follow is still a pointer: NULL, not 0.
      'ioctl(-1, SIOCGSTAMP_OLD, NULL)' + EBADF,
      'ioctl(-1, SIOCSIFMTU, {ifr_name="lo", ifr_mtu=1500})' + EBADF,
      'ioctl(-1, SIOCSIFFLAGS, {ifr_name="lo", ifr_flags=IFF_UP|IFF_RUNNING})' + EBADF,
      // What a request asks for shows only when it succeeds: the name alone after a failure.
      'ioctl(-1, SIOCGIFINDEX, {ifr_name="lo"})' + EBADF,
      'ioctl(-1, SIOCBRADDBR, "br0")' + EBADF,
      'ioctl(-1, SIOCGIFCONF, {ifc_len=80 /* 2 * sizeof(struct ifreq) */, ifc_buf=0xADDR})' + EBADF,
      'ioctl(-1, TEE_IOC_CANCEL, {cancel_id=7, session=0x2a})' + EBADF,
      // The call's buffer holds the call and its parameters.
      'ioctl(-1, TEE_IOC_INVOKE, {buf_len=56, buf_ptr={func=1, session=0x2a, cancel_id=0, num_params=1, params=[{attr=TEE_IOCTL_PARAM_ATTR_TYPE_VALUE_INPUT, a=0x1, b=0x2, c=0x3}]}})' + EBADF,
      'ioctl(-1, SNDCTL_TMR_START or TCSETS, NULL)' + EBADF,
      'ioctl(-1, _IOC(_IOC_READ, 0x7a, 0x7, 0x4), 0)' + EBADF,
      '+++ exited with 0 +++',
    ]);
  });

  it('prints the request as a number with its name in a comment under -X verbose, the number alone under -X raw', async () => {
    const verbose = await tracePlain(['-X', 'verbose', '-e', 'trace=ioctl'], [prog]);
    assert.equal(verbose.status, 0, verbose.stderr);
    const v = normalizeLines(verbose.lines);
    // Inside the request's comment every name is abbreviated; a flag argument keeps its own comment.
    for (const line of [
      'ioctl(-1, 0x80604521 /* EVIOCGBIT(EV_KEY, 96) */, NULL)' + EBADF,
      // An axis with no name: no marker inside the request's comment.
      'ioctl(-1, 0x8018454e /* EVIOCGABS(0xe) */, NULL)' + EBADF,
      'ioctl(-1, 0xab0a /* NBD_SET_FLAGS */, 0x10022 /* NBD_FLAG_READ_ONLY|NBD_FLAG_SEND_TRIM|0x10000 */)' + EBADF,
      'ioctl(-1, 0x40086602 /* FS_IOC_SETFLAGS */, [0xd000000 /* FS_???_FL */])' + EBADF,
      'ioctl(-1, 0x5402 /* SNDCTL_TMR_START or TCSETS */, NULL)' + EBADF,
      'ioctl(-1, 0x80047a07 /* _IOC(_IOC_READ, 0x7a, 0x7, 0x4) */, 0)' + EBADF,
      // A control id named by its class: the number, then CLASS+offset in a comment.
      'ioctl(-1, 0xc008561b /* VIDIOC_G_CTRL */, {id=0x9a0042 /* V4L2_CTRL_CLASS_CAMERA+0x42 */})' + EBADF,
    ])
      assert.ok(v.includes(line), `no line ${line} in:\n${v.join('\n')}`);
    const raw = await tracePlain(['-X', 'raw', '-e', 'trace=ioctl'], [prog]);
    assert.equal(raw.status, 0, raw.stderr);
    const r = normalizeLines(raw.lines);
    for (const line of [
      'ioctl(-1, 0x80604521, NULL)' + EBADF,
      'ioctl(-1, 0x80047a07, 0)' + EBADF,
      // Under -X raw a fourcc is its number.
      'ioctl(-1, 0xc0d05605, {type=0x1, fmt.pix={width=640, height=480, pixelformat=0x56595559, field=0x1, bytesperline=1280, sizeimage=614400, colorspace=0x8}})' + EBADF,
    ])
      assert.ok(r.includes(line), `no line ${line} in:\n${r.join('\n')}`);
  });

  it('shows what a successful request returned: a bit set by names, as words under -X raw, both under -X verbose', async () => {
    const expect = async (style: string, line: string) => {
      const t = await tracePlain(['-X', style, '-e', 'trace=ioctl', '-e', 'inject=ioctl:retval=2'], [prog, 'success']);
      assert.equal(t.status, 0, t.stderr);
      assert.deepEqual(normalizeLines(t.lines).slice(0, 1), [line + ' = 2 (INJECTED)']);
    };
    // Set bits are separated by spaces, as strace prints them.
    await expect('abbrev', 'ioctl(-1, EVIOCGBIT(0, 8), [EV_ABS EV_MSC])');
    await expect('raw', 'ioctl(-1, 0x80084520, [0x18])');
    await expect('verbose', 'ioctl(-1, 0x80084520 /* EVIOCGBIT(0, 8) */, [0x3 /* EV_ABS */ 0x4 /* EV_MSC */] /* [0x18] */)');
  });

  it('names with -v only the control flags strace 6.1 names, the newer ones in hex', async () => {
    const t = await tracePlain(['-v', '-e', 'trace=ioctl', '-e', 'inject=ioctl:retval=2'], [prog, 'success']);
    assert.equal(t.status, 0, t.stderr);
    assert.deepEqual(
      normalizeLines(t.lines).filter((l) => l.startsWith('ioctl(-1, VIDIOC_QUERYCTRL,')),
      [
        // V4L2_CTRL_FLAG_DYNAMIC_ARRAY (0x800, Linux 5.17) has no name in strace 6.1.
        'ioctl(-1, VIDIOC_QUERYCTRL, {id=V4L2_CID_BRIGHTNESS, type=V4L2_CTRL_TYPE_INTEGER, name="Brightness", minimum=0, maximum=255, step=1, default_value=128, flags=V4L2_CTRL_FLAG_SLIDER|0x800}) = 2 (INJECTED)',
      ],
    );
  });

  it('shows a structure sent and received as what was asked, then what came back', async () => {
    const t = await tracePlain(['-e', 'trace=ioctl', '-e', 'inject=ioctl:retval=2'], [prog, 'success']);
    assert.equal(t.status, 0, t.stderr);
    assert.deepEqual(normalizeLines(t.lines).slice(1), [
      'ioctl(-1, GPIO_V2_GET_LINEINFO_IOCTL, {offset=3} => {name="led0", consumer="", flags=GPIO_V2_LINE_FLAG_USED|GPIO_V2_LINE_FLAG_OUTPUT, num_attrs=1, attrs=[{debounce_period_us=5000}]}) = 2 (INJECTED)',
      'ioctl(-1, VIDIOC_QUERYCAP, {driver="vivid", card="Test", bus_info="platform:vivid-000", version=KERNEL_VERSION(6, 1, 0), capabilities=V4L2_CAP_VIDEO_CAPTURE|V4L2_CAP_STREAMING|V4L2_CAP_DEVICE_CAPS, device_caps=V4L2_CAP_VIDEO_CAPTURE|V4L2_CAP_STREAMING|0x20000000}) = 2 (INJECTED)',
      // Without -v a control's limits and flags are left out.
      'ioctl(-1, VIDIOC_QUERYCTRL, {id=V4L2_CID_BRIGHTNESS, type=V4L2_CTRL_TYPE_INTEGER, name="Brightness", ...}) = 2 (INJECTED)',
      // A field the driver may change: the count asked for, then the count granted.
      'ioctl(-1, VIDIOC_REQBUFS, {type=V4L2_BUF_TYPE_VIDEO_CAPTURE, memory=V4L2_MEMORY_MMAP, count=4 => 4}) = 2 (INJECTED)',
      // The timestamp's kind and source are named after the other flags.
      'ioctl(-1, VIDIOC_DQBUF, {type=V4L2_BUF_TYPE_VIDEO_CAPTURE, index=1, memory=V4L2_MEMORY_MMAP, m.offset=0x4000, length=614400, bytesused=614400, flags=V4L2_BUF_FLAG_MAPPED|V4L2_BUF_FLAG_DONE|V4L2_BUF_FLAG_TIMESTAMP_MONOTONIC|V4L2_BUF_FLAG_TSTAMP_SRC_EOF, timestamp={tv_sec=12, tv_usec=345678}, ...}) = 2 (INJECTED)',
      'ioctl(-1, SIOCGIFFLAGS, {ifr_name="lo", ifr_flags=IFF_UP|IFF_LOOPBACK|IFF_RUNNING}) = 2 (INJECTED)',
      // The size of the list, in whole interface requests, then each interface's name and address.
      'ioctl(-1, SIOCGIFCONF, {ifc_len=40 /* 1 * sizeof(struct ifreq) */, ifc_buf=[{ifr_name="lo", ifr_addr={sa_family=AF_INET, sin_port=htons(0), sin_addr=inet_addr("127.0.0.1")}}]}) = 2 (INJECTED)',
      '+++ exited with 0 +++',
    ]);
  });
});
