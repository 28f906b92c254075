// The two engines' constructors behind open_conn (sql.h); only sql_*.cpp include this.
#pragma once

#include "sql.h"

namespace ksd::server {

Result<Conn> open_sqlite(std::string const& path, ConnOptions const&);
Result<Conn> open_postgres(std::string const& uri, ConnOptions const&);

} // namespace ksd::server
