; Entry of the Multiboot test kernel: 32-bit protected mode, paging off,
; EAX = the boot magic, EBX = the information's address.
bits 32
global _start
extern kmain

section .text
_start:
	mov esp, stack_top
	push ebx
	push eax
	call kmain
.hang:
	cli
	hlt
	jmp .hang

section .bss
align 16
	resb 8192
stack_top:

section .note.GNU-stack noalloc noexec nowrite progbits
