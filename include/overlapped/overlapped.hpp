// overlapped/overlapped.hpp: the C++20 layer over the Win32 completion port (docs/cpp.md).
// Namespace ovl: RAII handles, std::error_code for Win32 errors, ovl::task coroutines,
// ovl::io_context, awaitables for every overlapped operation, when_all/when_any.
// Built on the public Win32 headers only; header-only.
#ifndef OVERLAPPED_OVERLAPPED_HPP
#define OVERLAPPED_OVERLAPPED_HPP

#include "ovl/win32.hpp"
#include "ovl/error.hpp"
#include "ovl/handle.hpp"
#include "ovl/task.hpp"
#include "ovl/io_context.hpp"
#include "ovl/io.hpp"
#include "ovl/when.hpp"

#endif
