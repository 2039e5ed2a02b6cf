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
extern vmx_exit_fast

HOST_RSP equ 0x6c14

section .text
vmx_enter:
	HOST_SAVE
	push rdi                ; [rsp + 16]: the gprs pointer, found again at exit
	sub rsp, 16             ; [rsp]: the guest's RDI during an exit; rsp 16-byte aligned
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
.failed:                        ; the KEPT registers may be the guest's: stored
	mov rdi, [rsp + 16]     ; (MOV leaves the flags alone)
	GPRS_STORE_KEPT
	mov eax, 1              ; CF: VMfailInvalid
	jc .out
	mov eax, 2              ; ZF: VMfailValid
.out:
	add rsp, 24
	HOST_RESTORE
	ret

; HOST_RIP: the CPU arrives here on every VM exit with RSP = HOST_RSP.
; vmx_exit_fast may serve the exit and ask for the guest again at once:
; the KEPT registers are still the guest's (C preserved them), and its RDI
; waits at [rsp] (no hypercall reads it); both reach *g when the exit
; leaves.
vmx_exit_entry:
	mov [rsp], rdi
	mov rdi, [rsp + 16]
	mov [rdi + 0], rax
	GPRS_STORE_CALL
	call vmx_exit_fast      ; rdi = the gprs; true: served, resume
	mov rdi, [rsp + 16]
	test al, al
	jz .leave
	mov rax, [rdi + 0]
	GPRS_LOAD_CALL
	mov rdi, [rsp]
	vmresume
	mov rdi, [rsp + 16]     ; failed: the guest's RDI to *g as well
	mov rax, [rsp]          ; (MOV leaves the flags alone)
	mov [rdi + 40], rax
	jmp vmx_enter.failed
.leave:
	mov rax, [rsp]
	mov [rdi + 40], rax
	GPRS_STORE_KEPT
	add rsp, 24
	HOST_RESTORE
	xor eax, eax
	ret

section .note.GNU-stack noalloc noexec nowrite progbits
