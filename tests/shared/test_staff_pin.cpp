// Tests of staff_pin.h (being written).
#include "ksd/staff_pin.h"

#include <catch2/catch.hpp>
