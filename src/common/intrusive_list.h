// intrusive_list.h: a doubly linked list threaded through its elements' own fields (no
// allocation), for the lists that must not allocate or that hold what only a pointer in
// the element knows: a port's waiting threads, the I/O manager's internal operations.
// The caller provides the locking.
#pragma once

namespace overlapped {

// `Previous` and `Next` name T's two link fields; `head` is the list's first element.
template <class T, T* T::*Previous, T* T::*Next>
struct IntrusiveList {
    static void push_front(T*& head, T* node)
    {
        node->*Previous = nullptr;
        node->*Next = head;
        if (head != nullptr) head->*Previous = node;
        head = node;
    }

    static void unlink(T*& head, T* node)
    {
        if (node->*Previous != nullptr)
            (node->*Previous)->*Next = node->*Next;
        else
            head = node->*Next;
        if (node->*Next != nullptr) (node->*Next)->*Previous = node->*Previous;
        node->*Previous = node->*Next = nullptr;
    }
};

}  // namespace overlapped
