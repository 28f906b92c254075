// Tests of pack_import.h (being written).
#include "ksd/pack_import.h"

#include <catch2/catch.hpp>
