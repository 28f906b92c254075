// Stub until implemented; see receipt.h.
#include "ksd/receipt.h"
