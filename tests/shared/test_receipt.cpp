// Tests of receipt.h (being written).
#include "ksd/receipt.h"

#include <catch2/catch.hpp>
