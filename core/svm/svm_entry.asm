; Entering and leaving an AMD-V guest.
;
; void svm_enter(struct gprs *g, u64 vmcb_pa, u64 host_pa)
;   With GIF clear, enables host interrupts (they stay blocked until GIF is
;   set again, and while the guest runs they cause INTR exits because
;   V_INTR_MASKING takes the host's IF), loads the guest's FS, GS, TR, LDTR
;   and syscall MSRs (VMLOAD), every guest GPR but RAX (the VMCB holds it),
;   and runs VMRUN. After the exit it stores the guest GPRs into *g, saves
;   the guest's VMLOAD state (VMSAVE), restores the host's from host_pa,
;   disables interrupts and sets GIF: a pending host interrupt stays pending
;   for the caller to take.
;
; struct gprs offsets (core/vcpu.h): rax 0, rbx 8, rcx 16, rdx 24, rsi 32,
; rdi 40, rbp 48, r8 56 ... r15 112.

bits 64
default rel

global svm_enter:function hidden

section .text
svm_enter:
	push rbp
	push rbx
	push r12
	push r13
	push r14
	push r15
	push rdi                ; [rsp + 16] after the next two: the gprs pointer
	push rdx                ; [rsp + 8]: host VMCB
	push rsi                ; [rsp]: guest VMCB
	mov rax, rsi
	clgi
	sti
	vmload                  ; [rax]
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
	vmrun                   ; [rax]; #VMEXIT restores RAX, RSP, RIP and RFLAGS
	push rdi
	mov rdi, [rsp + 24]
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
	pop rax
	vmsave                  ; [rax]
	pop rax
	vmload                  ; [rax]
	cli
	stgi
	add rsp, 8
	pop r15
	pop r14
	pop r13
	pop r12
	pop rbx
	pop rbp
	ret

section .note.GNU-stack noalloc noexec nowrite progbits
