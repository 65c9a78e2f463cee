/* poppack.h: restores the structure packing that the last pshpackN.h replaced. */
#pragma pack(pop)
