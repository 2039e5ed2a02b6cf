; Test-guest entry and exception catching.
bits 64
default rel

global _start, rt_try, rt_fault_stubs
extern main, rt_exit, rt_idt_init, rt_unexpected

section .text
_start:                         ; the loader set RSP and the identity map
	and rsp, -16
	call rt_idt_init
	call main
	mov edi, eax
	call rt_exit

; int rt_try(void (*fn)(void *), void *arg)
rt_try:
	push rbx
	push rbp
	push r12
	push r13
	push r14
	push r15
	sub rsp, 8              ; keep the call 16-byte aligned
	mov [try_rsp], rsp
	mov rax, rdi
	mov rdi, rsi
	call rax
	mov eax, -1
.done:
	mov qword [try_rsp], 0
	add rsp, 8
	pop r15
	pop r14
	pop r13
	pop r12
	pop rbp
	pop rbx
	ret

; 32 stubs of 16 bytes: vector in eax, then rt_fault.
align 16
rt_fault_stubs:
%assign v 0
%rep 32
	mov eax, v
	jmp rt_fault
	align 16, db 0xcc
%assign v v + 1
%endrep

; Inside rt_try: unwind to it and return the vector. Otherwise report.
rt_fault:
	mov rcx, [try_rsp]
	test rcx, rcx
	jz .unexpected
	mov rsp, rcx
	jmp rt_try.done
.unexpected:
	mov edi, eax
	; the CPU pushed an error code for 8, 10-14, 17, 21: RIP is one slot up
	mov rsi, [rsp]
	cmp eax, 8
	je .err
	cmp eax, 10
	jb .report
	cmp eax, 14
	jbe .err
	cmp eax, 17
	jne .report
.err:
	mov rsi, [rsp + 8]
.report:
	and rsp, -16
	call rt_unexpected

section .bss
try_rsp: resq 1

section .note.GNU-stack noalloc noexec nowrite progbits
