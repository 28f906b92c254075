// Stub until implemented; see request.h.
#include "ksd/request.h"
