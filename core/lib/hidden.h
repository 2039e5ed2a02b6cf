/* Forced into every hypervisor object (-include): all symbols are hidden,
 * so -fpic code reaches them PC-relative, without a GOT, in both the
 * relocatable hv.efi and the fixed-address hv.elf. */
#pragma GCC visibility push(hidden)
