{
  "targets": [
    {
      "target_name": "systrace",
      "sources": ["<!@(ls -1 native/*.cc native/decode/*.cc)"],
      "include_dirs": ["<!(node -p \"require('node-addon-api').include_dir\")", "native"],
      "defines": [
        "NAPI_VERSION=8",
        "NAPI_CPP_EXCEPTIONS",
        "NODE_API_SWALLOW_UNTHROWABLE_EXCEPTIONS",
        "_GNU_SOURCE"
      ],
      "cflags!": ["-fno-exceptions"],
      "cflags_cc!": ["-fno-exceptions", "-std=gnu++17"],
      "cflags_cc": ["-std=gnu++17", "-fexceptions", "-O2", "-Wall", "-Wextra", "-Wno-unused-parameter", "-Wno-missing-field-initializers"],
      "conditions": [
        ["<!(tools/have-libdw.sh)==1", {
          "defines": ["SYSTRACE_HAVE_LIBDW"],
          "libraries": ["-ldl"]
        }]
      ]
    }
  ]
}
