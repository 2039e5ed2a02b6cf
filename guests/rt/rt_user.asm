; CPL 3 round trip for rt_user.c: IRETQ down to user mode, one hypercall,
; INT 0x80 back up, where rt_user_return resumes the caller.
bits 64
default rel

global rt_user_load, rt_user_enter, rt_user_return, rt_user_fault_stubs

%include "core/vm/gprs.inc"        ; HOST_SAVE / HOST_RESTORE: callee-saved registers

; CR4 features that would refuse CPL 0 running on user pages (SMEP, SMAP,
; PKE) or the unbalanced return below (CET): bits 20-23.
CR4_OFF equ 0xf << 20

section .text
; void rt_user_load(const struct dtr *gdtr, uint64_t cr3): the guest's own
; GDT, segments, TSS (selector 0x28) and page tables.
rt_user_load:
	mov rax, cr4
	and rax, ~CR4_OFF
	mov cr4, rax
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

; int64_t rt_user_enter(nr, a1, a2, user_rsp, use_vmmcall, idtr): RAX
; after the hypercall made at CPL 3 with RAX = nr, RBX = a1, RCX = a2, or
; -1000 - vector if an exception ended the trip. The IDT at idtr is loaded
; only until rt_user_return.
rt_user_enter:
	HOST_SAVE
	mov [kernel_rsp], rsp
	sidt [kernel_idtr]
	lidt [r9]
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

; 32 exception stubs of 16 bytes for the trip's IDT: RAX = -1000 - vector,
; then the common way back (error code or not, the frame is dropped).
align 16
rt_user_fault_stubs:
%assign v 0
%rep 32
	mov rax, -1000 - v
	jmp rt_user_return
	align 16, db 0xcc
%assign v v + 1
%endrep

; The DPL-3 gate's target, at CPL 0 on the TSS stack: drop that frame and
; return to rt_user_enter's caller with RAX, under the caller's IDT.
rt_user_return:
	mov rsp, [kernel_rsp]
	lidt [kernel_idtr]
	mov cx, 0x10
	mov ds, cx
	mov es, cx
	mov ss, cx
	HOST_RESTORE
	ret

section .bss
kernel_rsp: resq 1
kernel_idtr: resq 2

section .note.GNU-stack noalloc noexec nowrite progbits
