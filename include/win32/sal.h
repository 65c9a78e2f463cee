/* sal.h: the source annotation language of Microsoft's headers and samples (_In_, _Out_,
 * __in_ecount(n)...). The compiler here checks none of it: every annotation is empty.
 * __in and __out are left out of C++, where libstdc++ names parameters so; __reserved,
 * __callback and __success are not defined at all: glibc and libstdc++ use those names. */
#ifndef OVERLAPPED_SAL_H
#define OVERLAPPED_SAL_H

#define _In_
#define _In_opt_
#define _In_z_
#define _In_opt_z_
#define _In_reads_(size)
#define _In_reads_opt_(size)
#define _In_reads_bytes_(size)
#define _In_reads_bytes_opt_(size)
#define _In_reads_z_(size)
#define _In_range_(low, high)
#define _Out_
#define _Out_opt_
#define _Out_writes_(size)
#define _Out_writes_opt_(size)
#define _Out_writes_z_(size)
#define _Out_writes_bytes_(size)
#define _Out_writes_bytes_opt_(size)
#define _Out_writes_to_(size, count)
#define _Out_writes_to_opt_(size, count)
#define _Out_writes_bytes_to_(size, count)
#define _Out_writes_bytes_to_opt_(size, count)
#define _Out_range_(low, high)
#define _Inout_
#define _Inout_opt_
#define _Inout_z_
#define _Inout_updates_(size)
#define _Inout_updates_opt_(size)
#define _Inout_updates_bytes_(size)
#define _Outptr_
#define _Outptr_opt_
#define _Outptr_result_maybenull_
#define _Outptr_result_buffer_(size)
#define _Outptr_result_bytebuffer_(size)
#define _Deref_out_
#define _Deref_out_opt_
#define _Ret_
#define _Ret_z_
#define _Ret_maybenull_
#define _Ret_notnull_
#define _Ret_range_(low, high)
#define _Result_nullonfailure_
#define _Result_zeroonfailure_
#define _Check_return_
#define _Must_inspect_result_
#define _Success_(expr)
#define _Return_type_success_(expr)
#define _When_(expr, annotation)
#define _Pre_
#define _Post_
#define _Pre_notnull_
#define _Pre_maybenull_
#define _Post_invalid_
#define _Post_ptr_invalid_
#define _Post_z_
#define _Frees_ptr_
#define _Frees_ptr_opt_
#define _Null_terminated_
#define _NullNull_terminated_
#define _Printf_format_string_
#define _Reserved_
#define _Field_size_(size)
#define _Field_size_opt_(size)
#define _Field_size_bytes_(size)
#define _Field_size_bytes_opt_(size)
#define _Field_range_(low, high)
#define _Field_z_
#define _Use_decl_annotations_
#define _Analysis_assume_(expr)
#define _Acquires_lock_(lock)
#define _Releases_lock_(lock)
#define _Requires_lock_held_(lock)
#define _Guarded_by_(lock)
#define _Interlocked_operand_
#define _Always_(annotation)
#define _Translates_Win32_to_HRESULT_(error)

/* The older spelling (specstrings.h). */
#if !defined(__cplusplus)
#define __in
#define __out
#endif
#define __in_opt
#define __in_z
#define __in_ecount(size)
#define __in_ecount_opt(size)
#define __in_bcount(size)
#define __in_bcount_opt(size)
#define __out_opt
#define __out_z
#define __out_ecount(size)
#define __out_ecount_opt(size)
#define __out_bcount(size)
#define __out_bcount_opt(size)
#define __out_ecount_part(size, length)
#define __out_bcount_part(size, length)
#define __inout
#define __inout_opt
#define __inout_ecount(size)
#define __inout_bcount(size)
#define __deref_out
#define __deref_out_opt
#define __deref_opt_out
#define __checkReturn
#define __nullterminated
#define __format_string

#endif
