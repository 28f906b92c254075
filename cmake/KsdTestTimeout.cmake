# ksd_test_timeout(OUT SECONDS): a ctest TIMEOUT, SECONDS as measured natively times
# KSD_TEST_TIME_SCALE. Used by tests/ and tests/fuzz (the fuzz preset includes only the latter).
# The arm64 preset sets 4: its suite runs under qemu-user, where e.g. libsodium's scrypt of the
# encrypted minisign keys is ~4x slower (150 s for a test of ~40 s natively). The dev suite keeps
# its own deadlines (factor 1).
set(KSD_TEST_TIME_SCALE 1 CACHE STRING "Factor for every test's TIMEOUT (the arm64 preset: 4)")
if(NOT KSD_TEST_TIME_SCALE MATCHES "^[1-9][0-9]*$")
    message(FATAL_ERROR "KSD_TEST_TIME_SCALE must be a whole number >= 1, not '${KSD_TEST_TIME_SCALE}'")
endif()
function(ksd_test_timeout out seconds)
    math(EXPR scaled "${seconds} * ${KSD_TEST_TIME_SCALE}")
    set(${out} ${scaled} PARENT_SCOPE)
endfunction()
