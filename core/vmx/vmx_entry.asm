; Entering and leaving a VT-x guest.
;
; int vmx_enter(struct gprs *g, u64 launched)
;   Saves the host's callee-saved registers, records the stack in HOST_RSP,
;   loads every guest GPR from *g and runs VMLAUNCH (launched == 0) or
;   VMRESUME. Returns 0 after a VM exit (vmx_exit_entry saved the guest
;   GPRs into *g), 1 on VMfailInvalid, 2 on VMfailValid.
;
; struct gprs offsets (core/vm/vcpu.h): rax 0, rbx 8, rcx 16, rdx 24, rsi 32,
; rdi 40, rbp 48, r8 56 ... r15 112.

bits 64
default rel

%include "core/vm/gprs.inc"

global vmx_enter:function hidden
global vmx_exit_entry:function hidden

HOST_RSP equ 0x6c14

section .text
vmx_enter:
	HOST_SAVE
	push rdi                ; the gprs pointer, found again at exit
	mov eax, HOST_RSP
	vmwrite rax, rsp
	test rsi, rsi           ; flags survive the loads below
	mov rax, [rdi + 0]
	GPRS_LOAD_KEPT
	GPRS_LOAD_CALL
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
	HOST_RESTORE
	ret

; HOST_RIP: the CPU arrives here on every VM exit with RSP = HOST_RSP.
vmx_exit_entry:
	push rdi
	mov rdi, [rsp + 8]
	mov [rdi + 0], rax
	GPRS_STORE_CALL
	GPRS_STORE_KEPT
	pop rax
	mov [rdi + 40], rax
	add rsp, 8
	HOST_RESTORE
	xor eax, eax
	ret

section .note.GNU-stack noalloc noexec nowrite progbits
