; CPL 3 round trip for rt_user.c: IRETQ down to user mode, one hypercall,
; INT 0x80 back up, where rt_user_return resumes the caller.
bits 64
default rel

global rt_user_load, rt_user_enter, rt_user_return

%include "core/gprs.inc"        ; HOST_SAVE / HOST_RESTORE: callee-saved registers

section .text
; void rt_user_load(const void *gdtr, uint64_t cr3): the guest's own GDT,
; segments, TSS (selector 0x28) and page tables.
rt_user_load:
	lgdt [rdi]
	mov cr3, rsi
	push 0x08
	lea rax, [.cs]
	push rax
	retfq
.cs:
	mov ax, 0x10
	mov ds, ax
	mov es, ax
	mov ss, ax
	mov ax, 0x28
	ltr ax
	ret

; int64_t rt_user_enter(nr, a1, a2, user_rsp, use_vmmcall): RAX after the
; hypercall made at CPL 3 with RAX = nr, RBX = a1, RCX = a2.
rt_user_enter:
	HOST_SAVE
	mov [kernel_rsp], rsp
	push 0x1b               ; SS: user data
	push rcx                ; RSP: user stack
	push 0x2                ; RFLAGS: interrupts off
	push 0x23               ; CS: user code
	lea rax, [user_vmcall]
	lea r9, [user_vmmcall]
	test r8d, r8d
	cmovnz rax, r9
	push rax                ; RIP
	mov rax, rdi
	mov rbx, rsi
	mov rcx, rdx
	iretq

user_vmcall:
	vmcall
	int 0x80
user_vmmcall:
	vmmcall
	int 0x80

; The DPL-3 gate's target, at CPL 0 on the TSS stack: drop that frame and
; return to rt_user_enter's caller with the hypercall's RAX.
rt_user_return:
	mov rsp, [kernel_rsp]
	mov cx, 0x10
	mov ds, cx
	mov es, cx
	mov ss, cx
	HOST_RESTORE
	ret

section .bss
kernel_rsp: resq 1

section .note.GNU-stack noalloc noexec nowrite progbits
