/* A fake of what this build machine cannot give: a kernel clock that NTP has synchronised (here
 * adjtimex says STA_UNSYNC). LD_PRELOADed into the real ksd-kiosk by the screen power tests and
 * the benchmark, so its screen may sleep by office hours. Only read-only queries are faked. */
#include <string.h>
#include <sys/timex.h>

int adjtimex(struct timex* t) {
    if (t == 0 || t->modes != 0)
        return -1; /* the kiosk only asks; anything else is not ours to fake */
    memset(t, 0, sizeof *t);
    return TIME_OK;
}
