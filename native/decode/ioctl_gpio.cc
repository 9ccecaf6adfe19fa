// GPIO character device requests (0xb4, linux/gpio.h): chip and line information, line handle and
// event requests of the v1 interface, line requests, configuration and values of the v2 one.
// Requests that send a structure and get one back print "{what was asked} => {what came back}".
#include <linux/gpio.h>

#include "fields.h"
#include "ioctl_internal.h"
#include "../tables/generated/xlat.h"

namespace decode {
namespace ioctl {

namespace {

// ---------------------------------------------------------------- v1

void print_chip_info(const Call& c, uint64_t arg) {
  gpiochip_info info;
  if (!fetch_or_addr(c, arg, &info)) return;
  Fields f(c);
  f.cstr("name", info.name);
  f.cstr("label", info.label);
  f.u("lines", info.lines);
  f.end();
}

bool print_line_info_in(const Call& c, uint64_t arg) {
  gpioline_info info;
  if (!fetch_or_addr(c, arg, &info)) return false;
  Fields f(c);
  f.u("line_offset", info.line_offset);
  f.end();
  return true;
}

void print_line_info_out(const Call& c, uint64_t arg) {
  gpioline_info info;
  if (!fetch_or_addr(c, arg, &info)) return;
  Fields f(c);
  f.flags("flags", xlat_gpio_line_flags, info.flags, "GPIOLINE_FLAG_???");
  f.cstr("name", info.name);
  f.cstr("consumer", info.consumer);
  f.end();
}

void print_line_offset(const Call& c, uint64_t arg) {
  uint32_t offset;
  if (!fetch_or_addr(c, arg, &offset)) return;
  Fields f(c);
  f.u("offset", offset);
  f.end();
}

bool print_handle_request(const Call& c, uint64_t arg) {
  gpiohandle_request hr;
  if (!fetch_or_addr(c, arg, &hr)) return false;
  Fields f(c);
  f.u("lines", hr.lines);
  f.uarray_upto("lineoffsets", hr.lineoffsets, hr.lines);
  f.flags("flags", xlat_gpio_handle_flags, hr.flags, "GPIOHANDLE_REQUEST_???");
  f.uarray_upto("default_values", hr.default_values, hr.lines);
  f.cstr("consumer_label", hr.consumer_label);
  f.end();
  return true;
}

// The descriptor a line or event request returns, in the structure's last field.
template <typename T> void print_request_fd(const Call& c, uint64_t arg) {
  T r;
  if (!fetch_or_addr(c, arg, &r)) return;
  Fields f(c);
  print_fd(f.f("fd"), r.fd);
  f.end();
}

bool print_event_request(const Call& c, uint64_t arg) {
  gpioevent_request er;
  if (!fetch_or_addr(c, arg, &er)) return false;
  Fields f(c);
  f.u("lineoffset", er.lineoffset);
  f.flags("handleflags", xlat_gpio_handle_flags, er.handleflags, "GPIOHANDLE_REQUEST_???");
  f.flags("eventflags", xlat_gpio_event_flags, er.eventflags, "GPIOEVENT_REQUEST_???");
  f.cstr("consumer_label", er.consumer_label);
  f.end();
  return true;
}

void print_handle_data(const Call& c, uint64_t arg) {
  gpiohandle_data d;
  if (!fetch_or_addr(c, arg, &d)) return;
  Fields f(c);
  f.uarray("values", d.values);
  f.end();
}

void print_handle_config(const Call& c, uint64_t arg) {
  gpiohandle_config hc;
  if (!fetch_or_addr(c, arg, &hc)) return;
  Fields f(c);
  f.flags("flags", xlat_gpio_handle_flags, hc.flags, "GPIOHANDLE_REQUEST_???");
  f.uarray("default_values", hc.default_values);
  f.end();
}

// ---------------------------------------------------------------- v2

// An attribute's fields inside f: the one member its id selects, or, for an id without one or a
// padding that should be zero, the raw id, padding and data.
void print_attr_fields(Fields& f, const gpio_v2_line_attribute& a) {
  if (!a.padding) {
    switch (a.id) {
      case GPIO_V2_LINE_ATTR_ID_FLAGS:
        f.flags("flags", xlat_gpio_v2_line_flags, a.flags, "GPIO_V2_LINE_FLAG_???");
        return;
      case GPIO_V2_LINE_ATTR_ID_OUTPUT_VALUES: f.x("values", a.values); return;
      case GPIO_V2_LINE_ATTR_ID_DEBOUNCE: f.u("debounce_period_us", a.debounce_period_us); return;
      default: break;
    }
  }
  f.u("id", a.id);
  if (a.padding) f.x("padding", a.padding);
  f.x("data", a.values);
}

bool is_plain_attr(const gpio_v2_line_attribute& a) {
  return !a.padding && a.id >= GPIO_V2_LINE_ATTR_ID_FLAGS && a.id <= GPIO_V2_LINE_ATTR_ID_DEBOUNCE;
}

void print_line_config_fields(const Call& c, const gpio_v2_line_config& lc) {
  Fields f(c);
  f.flags("flags", xlat_gpio_v2_line_flags, lc.flags, "GPIO_V2_LINE_FLAG_???");
  f.u("num_attrs", lc.num_attrs);
  if (!all_zero(lc.padding)) f.xarray("padding", lc.padding);
  if (lc.num_attrs)
    f.array_upto("attrs", lc.attrs, lc.num_attrs, [&](const gpio_v2_line_config_attribute& ca) {
      Fields af(c);
      // A known attribute shows its member in place; another one as a structure of its own.
      if (is_plain_attr(ca.attr)) {
        print_attr_fields(af, ca.attr);
      } else {
        af.f("attr");
        Fields raw(c);
        print_attr_fields(raw, ca.attr);
        raw.end();
      }
      af.x("mask", ca.mask);
      af.end();
    });
  f.end();
}

void print_line_config(const Call& c, uint64_t arg) {
  gpio_v2_line_config lc;
  if (fetch_or_addr(c, arg, &lc)) print_line_config_fields(c, lc);
}

bool print_v2_line_info_in(const Call& c, uint64_t arg) {
  gpio_v2_line_info li;
  if (!fetch_or_addr(c, arg, &li)) return false;
  Fields f(c);
  f.u("offset", li.offset);
  f.end();
  return true;
}

void print_v2_line_info_out(const Call& c, uint64_t arg) {
  gpio_v2_line_info li;
  if (!fetch_or_addr(c, arg, &li)) return;
  Fields f(c);
  f.cstr("name", li.name);
  f.cstr("consumer", li.consumer);
  f.flags("flags", xlat_gpio_v2_line_flags, li.flags, "GPIO_V2_LINE_FLAG_???");
  f.u("num_attrs", li.num_attrs);
  if (li.num_attrs)
    f.array_upto("attrs", li.attrs, li.num_attrs, [&](const gpio_v2_line_attribute& a) {
      Fields af(c);
      print_attr_fields(af, a);
      af.end();
    });
  if (!all_zero(li.padding)) f.xarray("padding", li.padding);
  f.end();
}

bool print_v2_line_request(const Call& c, uint64_t arg) {
  gpio_v2_line_request lr;
  if (!fetch_or_addr(c, arg, &lr)) return false;
  Fields f(c);
  f.u("num_lines", lr.num_lines);
  f.uarray_upto("offsets", lr.offsets, lr.num_lines);
  f.cstr("consumer", lr.consumer);
  f.f("config");
  print_line_config_fields(c, lr.config);
  if (lr.event_buffer_size) f.u("event_buffer_size", lr.event_buffer_size);
  if (!all_zero(lr.padding)) f.xarray("padding", lr.padding);
  f.end();
  return true;
}

bool print_values_mask(const Call& c, uint64_t arg) {
  gpio_v2_line_values v;
  if (!fetch_or_addr(c, arg, &v)) return false;
  Fields f(c);
  f.x("mask", v.mask);
  f.end();
  return true;
}

void print_values_bits(const Call& c, uint64_t arg) {
  gpio_v2_line_values v;
  if (!fetch_or_addr(c, arg, &v)) return;
  Fields f(c);
  f.x("bits", v.bits);
  f.end();
}

void print_values(const Call& c, uint64_t arg) {
  gpio_v2_line_values v;
  if (!fetch_or_addr(c, arg, &v)) return;
  Fields f(c);
  f.x("bits", v.bits);
  f.x("mask", v.mask);
  f.end();
}

const Request kGpio[] = {
    req_out(GPIO_GET_CHIPINFO_IOCTL, print_chip_info),
    req_in(GPIO_GET_LINEINFO_UNWATCH_IOCTL, print_line_offset),
    req_in_out(GPIO_GET_LINEINFO_IOCTL, print_line_info_in, print_line_info_out),
    req_in_out(GPIO_GET_LINEINFO_WATCH_IOCTL, print_line_info_in, print_line_info_out),
    req_in_out(GPIO_GET_LINEHANDLE_IOCTL, print_handle_request, print_request_fd<gpiohandle_request>),
    req_in_out(GPIO_GET_LINEEVENT_IOCTL, print_event_request, print_request_fd<gpioevent_request>),
    req_out(GPIOHANDLE_GET_LINE_VALUES_IOCTL, print_handle_data),
    req_in(GPIOHANDLE_SET_LINE_VALUES_IOCTL, print_handle_data),
    req_in(GPIOHANDLE_SET_CONFIG_IOCTL, print_handle_config),
    req_in_out(GPIO_V2_GET_LINEINFO_IOCTL, print_v2_line_info_in, print_v2_line_info_out),
    req_in_out(GPIO_V2_GET_LINEINFO_WATCH_IOCTL, print_v2_line_info_in, print_v2_line_info_out),
    req_in_out(GPIO_V2_GET_LINE_IOCTL, print_v2_line_request, print_request_fd<gpio_v2_line_request>),
    req_in(GPIO_V2_LINE_SET_CONFIG_IOCTL, print_line_config),
    req_in_out(GPIO_V2_LINE_GET_VALUES_IOCTL, print_values_mask, print_values_bits),
    req_in(GPIO_V2_LINE_SET_VALUES_IOCTL, print_values),
};

}  // namespace

int gpio_ioctl(Call& c, unsigned code, uint64_t arg) { return by_table(c, code, arg, kGpio); }

}  // namespace ioctl
}  // namespace decode
