; Entering and leaving an AMD-V guest.
;
; void svm_enter(struct gprs *g, u64 vmcb_pa, u64 host_pa)
;   With GIF clear, enables host interrupts (they stay blocked until GIF is
;   set again, and while the guest runs they cause INTR exits because
;   V_INTR_MASKING takes the host's IF), loads the guest's FS, GS, TR, LDTR
;   and syscall MSRs (VMLOAD), every guest GPR but RAX (the VMCB holds it),
;   and runs VMRUN. After the exit it stores the guest GPRs into *g, saves
;   the guest's VMLOAD state (VMSAVE) and restores the host's from host_pa.
;   Then svm_exit_fast (svm_run.c) may serve the exit on the short way and
;   ask for the guest again at once: back to the VMLOAD, with the KEPT
;   registers (gprs.inc) still the guest's in the CPU and its RDI on the
;   stack (no hypercall reads either). Otherwise it stores those too,
;   disables interrupts and sets GIF: a pending host interrupt stays
;   pending for the caller to take.
;
; struct gprs offsets (core/vm/vcpu.h): rax 0, rbx 8, rcx 16, rdx 24, rsi 32,
; rdi 40, rbp 48, r8 56 ... r15 112.

bits 64
default rel

%include "core/vm/gprs.inc"

CPU_GIF_CLEAR equ 20            ; core/hw/percpu.h

global svm_enter:function hidden
extern svm_exit_fast

section .text
svm_enter:
	HOST_SAVE
	push rdi                ; [rsp + 32] after the next ones: the gprs pointer
	push rdx                ; [rsp + 24]: host VMCB
	push rsi                ; [rsp + 16]: guest VMCB
	sub rsp, 16             ; [rsp]: the guest's RDI during an exit; rsp 16-byte aligned
	clgi
	sti
	mov dword [gs:CPU_GIF_CLEAR], 1   ; IF is set, GIF holds interrupts off
	GPRS_LOAD_KEPT
	mov rax, [rdi + 40]
	mov [rsp], rax
.enter:
	mov rax, [rsp + 16]
	vmload                  ; [rax]
	GPRS_LOAD_CALL
	mov rdi, [rsp]
	vmrun                   ; [rax]; #VMEXIT restores RAX, RSP, RIP and RFLAGS
	mov [rsp], rdi
	mov rdi, [rsp + 32]
	GPRS_STORE_CALL
	mov rax, [rsp + 16]
	vmsave                  ; [rax]
	mov rax, [rsp + 24]
	vmload                  ; [rax]
	call svm_exit_fast      ; rdi = the gprs; true: served, enter again
	mov rdi, [rsp + 32]
	test al, al
	jnz .enter
	mov rax, [rsp]          ; the guest's RDI, and the KEPT registers:
	mov [rdi + 40], rax     ; C preserved them
	GPRS_STORE_KEPT
	cli
	mov dword [gs:CPU_GIF_CLEAR], 0
	stgi
	add rsp, 40
	HOST_RESTORE
	ret

section .note.GNU-stack noalloc noexec nowrite progbits
