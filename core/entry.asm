; hv_enter(struct boot_info *bi): the core's single entry from either boot
; door. Moves onto the core's own boot stack, so nothing of the firmware's
; memory is in use once the core runs, and calls hv_main(bi).

bits 64
default rel

global hv_enter:function hidden
extern hv_main

BOOT_STACK_SIZE equ 16384

section .text
hv_enter:
	cli
	lea rsp, [boot_stack_top]
	xor ebp, ebp
	call hv_main
.hang:
	cli
	hlt
	jmp .hang

section .bss
align 16
boot_stack:
	resb BOOT_STACK_SIZE
boot_stack_top:

section .note.GNU-stack noalloc noexec nowrite progbits
