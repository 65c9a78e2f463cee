#!/usr/bin/env bash
# cxx20.sh ARGS...: the C++ compiler ($OVERLAPPED_CXX, else c++) in C++20 mode, for
# check-header.sh on the C++20 layer's headers.
exec "${OVERLAPPED_CXX:-c++}" -std=c++20 "$@"
