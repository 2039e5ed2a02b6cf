; Entering and leaving a VT-x guest.
;
; int vmx_enter(struct gprs *g, u64 launched)
;   Saves the host's callee-saved registers, records the stack in HOST_RSP,
;   loads every guest GPR from *g and runs VMLAUNCH (launched == 0) or
;   VMRESUME. Returns 0 after a VM exit (vmx_exit_entry saved the guest
;   GPRs into *g), 1 on VMfailInvalid, 2 on VMfailValid.
;
; struct gprs offsets (core/vcpu.h): rax 0, rbx 8, rcx 16, rdx 24, rsi 32,
; rdi 40, rbp 48, r8 56 ... r15 112.

bits 64
default rel

global vmx_enter:function hidden
global vmx_exit_entry:function hidden

HOST_RSP equ 0x6c14

section .text
vmx_enter:
	push rbp
	push rbx
	push r12
	push r13
	push r14
	push r15
	push rdi                ; the gprs pointer, found again at exit
	mov eax, HOST_RSP
	vmwrite rax, rsp
	test rsi, rsi           ; flags survive the loads below
	mov rax, [rdi + 0]
	mov rbx, [rdi + 8]
	mov rcx, [rdi + 16]
	mov rdx, [rdi + 24]
	mov rsi, [rdi + 32]
	mov rbp, [rdi + 48]
	mov r8, [rdi + 56]
	mov r9, [rdi + 64]
	mov r10, [rdi + 72]
	mov r11, [rdi + 80]
	mov r12, [rdi + 88]
	mov r13, [rdi + 96]
	mov r14, [rdi + 104]
	mov r15, [rdi + 112]
	mov rdi, [rdi + 40]
	jnz .resume
	vmlaunch
	jmp .failed
.resume:
	vmresume
.failed:
	mov eax, 1              ; CF: VMfailInvalid
	jc .out
	mov eax, 2              ; ZF: VMfailValid
.out:
	add rsp, 8
	pop r15
	pop r14
	pop r13
	pop r12
	pop rbx
	pop rbp
	ret

; HOST_RIP: the CPU arrives here on every VM exit with RSP = HOST_RSP.
vmx_exit_entry:
	push rdi
	mov rdi, [rsp + 8]
	mov [rdi + 0], rax
	mov [rdi + 8], rbx
	mov [rdi + 16], rcx
	mov [rdi + 24], rdx
	mov [rdi + 32], rsi
	mov [rdi + 48], rbp
	mov [rdi + 56], r8
	mov [rdi + 64], r9
	mov [rdi + 72], r10
	mov [rdi + 80], r11
	mov [rdi + 88], r12
	mov [rdi + 96], r13
	mov [rdi + 104], r14
	mov [rdi + 112], r15
	pop rax
	mov [rdi + 40], rax
	add rsp, 8
	pop r15
	pop r14
	pop r13
	pop r12
	pop rbx
	pop rbp
	xor eax, eax
	ret

section .note.GNU-stack noalloc noexec nowrite progbits
