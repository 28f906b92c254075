# Cross build for arm64 (Raspberry Pi 4/5, Debian bookworm) on an amd64 Debian with multiarch:
# scripts/setup-arm64.sh installs the compiler, qemu-user and the :arm64 -dev packages this uses.
# Used by the presets arm64 and package-arm64 (README "Cross-building for arm64").
set(CMAKE_SYSTEM_NAME Linux)
set(CMAKE_SYSTEM_PROCESSOR aarch64)
set(CMAKE_C_COMPILER aarch64-linux-gnu-gcc)
set(CMAKE_CXX_COMPILER aarch64-linux-gnu-g++)
# Debian multiarch: the :arm64 libraries and their CMake configs live in /usr/lib/aarch64-linux-gnu,
# which CMake searches (and prefers) with this set; the cross libc is in /usr/aarch64-linux-gnu.
set(CMAKE_LIBRARY_ARCHITECTURE aarch64-linux-gnu)
set(CMAKE_FIND_ROOT_PATH /usr/aarch64-linux-gnu)
# Programs (pkg-config, git, sh) are the host's; libraries, headers and packages are looked for in
# the root path first and then in /usr, where the multiarch directory above selects arm64 and the
# architecture-independent headers (nlohmann-json, Catch2) are shared. The host's own library
# directory is never searched, so an amd64 library cannot slip into the link.
set(CMAKE_FIND_ROOT_PATH_MODE_PROGRAM NEVER)
set(CMAKE_FIND_ROOT_PATH_MODE_LIBRARY BOTH)
set(CMAKE_FIND_ROOT_PATH_MODE_INCLUDE BOTH)
set(CMAKE_FIND_ROOT_PATH_MODE_PACKAGE BOTH)
list(APPEND CMAKE_IGNORE_PATH /usr/lib/x86_64-linux-gnu /usr/lib/x86_64-linux-gnu/cmake)
# pkg-config's cross wrapper reads only the arm64 .pc files (/usr/lib/aarch64-linux-gnu/pkgconfig).
set(PKG_CONFIG_EXECUTABLE aarch64-linux-gnu-pkg-config CACHE FILEPATH "pkg-config for arm64")
# Build steps that run a just-built tool (the demo pack, --print-config) and ctest run the arm64
# binaries under qemu-user (no binfmt_misc needed). No -L /usr/aarch64-linux-gnu: that made qemu
# take the loader of the cross libc (libc6-arm64-cross 2.36-8cross1) while the loader found
# libc.so.6 of libc6:arm64 (2.36-9+deb12u14) through ld.so.cache: a mismatched ld.so/libc pair,
# whose child of fork() hung before its first system call (two tests timed out after 300 s).
# Without -L the binary's own interpreter /lib/ld-linux-aarch64.so.1 is libc6:arm64's, as under
# binfmt_misc and on the Pi.
find_program(KSD_QEMU_AARCH64 qemu-aarch64-static qemu-aarch64 REQUIRED)
if(NOT EXISTS /lib/ld-linux-aarch64.so.1)
    message(FATAL_ERROR "/lib/ld-linux-aarch64.so.1 is missing: libc6:arm64 is not installed "
        "(run scripts/setup-arm64.sh)")
endif()
set(CMAKE_CROSSCOMPILING_EMULATOR ${KSD_QEMU_AARCH64})
