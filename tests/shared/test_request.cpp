// Tests of request.h (being written).
#include "ksd/request.h"

#include <catch2/catch.hpp>
