/* pshpack1.h: structures declared after this header are packed to 1-byte boundaries,
 * until poppack.h restores the packing in force before (as in the Windows SDK). */
#pragma pack(push, 1)
