; Interrupt and exception entry: 256 stubs of 16 bytes each, so the IDT can
; find stub v at trap_stubs + 16 * v. Each stub pushes an error code (a zero
; where the CPU pushes none) and its vector, then all stubs share one path
; that saves the general registers as a struct trap_frame (core/hw/trap.h) and
; calls trap_dispatch(frame).

bits 64
default rel

global trap_stubs:function hidden
extern trap_dispatch

; vectors for which the CPU pushes an error code
%define HAS_ERR(v) ((v) == 8 || ((v) >= 10 && (v) <= 14) || (v) == 17 || (v) == 21 || (v) == 29 || (v) == 30)

section .text
align 16
trap_stubs:
%assign v 0
%rep 256
.s %+ v:
%if HAS_ERR(v) == 0
	push qword 0
%endif
	push qword v
	jmp trap_common
%if ($ - .s %+ v) > 16
%error trap stub too long
%endif
	align 16, db 0xcc
%assign v v + 1
%endrep

trap_common:
	push r15
	push r14
	push r13
	push r12
	push r11
	push r10
	push r9
	push r8
	push rbp
	push rdi
	push rsi
	push rdx
	push rcx
	push rbx
	push rax
	cld
	mov rdi, rsp
	call trap_dispatch
	pop rax
	pop rbx
	pop rcx
	pop rdx
	pop rsi
	pop rdi
	pop rbp
	pop r8
	pop r9
	pop r10
	pop r11
	pop r12
	pop r13
	pop r14
	pop r15
	add rsp, 16
	iretq

section .note.GNU-stack noalloc noexec nowrite progbits
