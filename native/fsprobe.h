// File-system probes exported to JS (see fsprobe.cc).
#pragma once
#include <napi.h>

namespace fsprobe {
void Register(Napi::Env env, Napi::Object exports);
}
