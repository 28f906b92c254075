# Warnings and sanitizers as INTERFACE targets, linked only by our own targets so that
# -Werror never applies to a dependency's headers (they are included as SYSTEM).
add_library(ksd_warnings INTERFACE)
target_compile_options(ksd_warnings INTERFACE
    -Wall -Wextra -Werror -Wshadow -Wnon-virtual-dtor -Wcast-align -Wunused
    -Woverloaded-virtual -Wnull-dereference -Wformat=2 -Wimplicit-fallthrough)
# GCC 12 at -O2 reports -Wrestrict inside std::string's operator+ for code as plain as
# "#" + std::to_string(n) (GCC bug 105329, fixed in GCC 13): a false alarm in libstdc++, not in
# our code, so it is not an error there (it stays a warning).
if(CMAKE_CXX_COMPILER_ID STREQUAL "GNU" AND CMAKE_CXX_COMPILER_VERSION VERSION_LESS 13)
    target_compile_options(ksd_warnings INTERFACE -Wno-error=restrict)
endif()

add_library(ksd_sanitizers INTERFACE)
if(KSD_BUILD_FUZZ)
    # Every library instrumented for libFuzzer's coverage; only the fuzz binaries link its main.
    # Warnings stay on but do not stop the build: the gcc build is the one that enforces them.
    target_compile_options(ksd_sanitizers INTERFACE
        -fsanitize=fuzzer-no-link,address,undefined -fno-sanitize-recover=undefined
        -fno-omit-frame-pointer)
    target_link_options(ksd_sanitizers INTERFACE -fsanitize=address,undefined)
    target_compile_options(ksd_warnings INTERFACE -Wno-error)
elseif(KSD_SANITIZE)
    target_compile_options(ksd_sanitizers INTERFACE
        -fsanitize=address,undefined -fno-sanitize-recover=undefined -fno-omit-frame-pointer)
    target_link_options(ksd_sanitizers INTERFACE -fsanitize=address,undefined)
endif()

add_library(ksd_options INTERFACE)
target_link_libraries(ksd_options INTERFACE ksd_warnings ksd_sanitizers)
