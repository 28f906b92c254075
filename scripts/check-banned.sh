#!/usr/bin/env bash
# Functions our C and C++ code must not call, with what to use instead. CI runs this with the
# formatting check. atoi and its kin read "abc" as 0 (a random port was once bound that way) and
# the std::sto* family throws on bad input; sprintf/strcpy/strcat overflow; gmtime and localtime
# share one static buffer between threads; rand is neither random nor thread-safe.
#   ksd::parse_int<T> (shared/ksd/number.h) | snprintf or std::string | gmtime_r, localtime_r
set -euo pipefail
cd "$(dirname "$0")/.."
banned='atoi|atol|atoll|atof|strtol|strtoll|strtoul|strtoull|strtod|sto(i|l|ll|ul|ull|f|d|ld)|sprintf|vsprintf|strcpy|strcat|strncpy|strtok|gets|gmtime|localtime|ctime|asctime|rand|srand'
# A call: the name as a whole word followed by '(' (so gmtime_r, snprintf, from_chars pass).
# Comments (// ...) are not code and are skipped.
hits=$(git ls-files -- '*.c' '*.cc' '*.cpp' '*.h' '*.hpp' \
    | xargs grep -nE "(^|[^A-Za-z0-9_])(std::)?($banned)[[:space:]]*\(" \
    | grep -vE '^[^:]+:[0-9]+:[[:space:]]*//' || true)
if [ -n "$hits" ]; then
    echo "$hits"
    echo "check-banned: the calls above are banned; see the top of scripts/check-banned.sh for what to use." >&2
    exit 1
fi
# Screens take their spacing and measures from Theme tokens (t.space_m, t.reading_w, ...), so a
# spacing change is made once in kiosk/ui/theme.cpp: no design-pixel literal like t.px(14) there.
literals=$(git ls-files -- 'kiosk/screens/*.cpp' 'kiosk/screens/*.h' \
    | xargs grep -nE "(^|[^A-Za-z0-9_])px\([[:space:]]*[0-9.]" \
    | grep -vE '^[^:]+:[0-9]+:[[:space:]]*//' || true)
if [ -n "$literals" ]; then
    echo "$literals"
    echo "check-banned: px(<number>) in a screen: use a Theme token (kiosk/ui/theme.h: space_2xs..space_2xl, shadow, stripe_w, reading_w, dialog_w, ...) or add one there." >&2
    exit 1
fi
echo "check-banned: no banned calls, no px() literals in screens"
