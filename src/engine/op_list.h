// op_list.h: a first-in-first-out list of operations through Op::engine_next, for the
// engines' own queues (io_uring's overflow, the fallback's pool, reactor and done list).
// Not synchronised: each user guards its list with its own lock.
#pragma once

#include "engine/engine.h"

namespace overlapped::engine {

struct OpList {
    Op* head = nullptr;
    Op* tail = nullptr;
    unsigned count = 0;  // how many operations are in the list

    bool empty() const { return head == nullptr; }

    void append(Op* op)
    {
        op->engine_next = nullptr;
        if (tail != nullptr)
            tail->engine_next = op;
        else
            head = op;
        tail = op;
        ++count;
    }

    // The first operation, taken out. The list must not be empty.
    Op* pop()
    {
        Op* op = head;
        head = op->engine_next;
        if (head == nullptr) tail = nullptr;
        --count;
        return op;
    }

    // Takes `op` out; false if it is not in the list.
    bool remove(Op* op)
    {
        Op* previous = nullptr;
        for (Op* o = head; o != nullptr; previous = o, o = o->engine_next) {
            if (o != op) continue;
            if (previous != nullptr)
                previous->engine_next = op->engine_next;
            else
                head = op->engine_next;
            if (tail == op) tail = previous;
            --count;
            return true;
        }
        return false;
    }

    // Every operation, as a chain through engine_next; the list is left empty.
    Op* take_all()
    {
        Op* all = head;
        head = tail = nullptr;
        count = 0;
        return all;
    }
};

}  // namespace overlapped::engine
