; Guest images built into the hypervisor for the built-in default scenario
; (core/config/builtin.h): stripped copies of two test guests.
bits 64
default rel

global builtin_hello, builtin_hello_end, builtin_burn, builtin_burn_end

section .rodata
align 16
builtin_hello:
	incbin "build/guests/hello.stripped.elf"
builtin_hello_end:
align 16
builtin_burn:
	incbin "build/guests/burn.stripped.elf"
builtin_burn_end:

section .note.GNU-stack noalloc noexec nowrite progbits
