// Stub until implemented; see staff_pin.h.
#include "ksd/staff_pin.h"
