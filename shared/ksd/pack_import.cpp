// Stub until implemented; see pack_import.h.
#include "ksd/pack_import.h"
