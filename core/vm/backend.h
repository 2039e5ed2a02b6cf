/* The virtualization backend interface: everything above it is shared by
 * VT-x (core/vmx) and AMD-V (core/svm). Each backend translates its own exit
 * codes into enum exit_reason, so one exit table serves both. */
#ifndef CORE_BACKEND_H
#define CORE_BACKEND_H

#include "core/vm/act.h"
#include "core/vm/vcpu.h"

enum exit_reason {
	EXIT_UNKNOWN = 0,      /* no handler: the guest is stopped */
	EXIT_CPUID,
	EXIT_MSR_READ,
	EXIT_MSR_WRITE,
	EXIT_IO,
	EXIT_HLT,
	EXIT_HYPERCALL,        /* VMCALL or VMMCALL, on either vendor */
	EXIT_SLAT_FAULT,       /* EPT violation / nested page fault */
	EXIT_TRIPLE_FAULT,     /* VMX triple fault, SVM shutdown */
	EXIT_TIMER,            /* the preemption deadline passed */
	EXIT_EXT_INTR,         /* a host interrupt arrived */
	EXIT_VIRT_INSN,        /* a VMX/SVM instruction, or one not offered: #UD */
	EXIT_ENTRY_FAILED,     /* the CPU refused the guest state */
	EXIT_IRQ_WINDOW,       /* the guest can take an interrupt now */
	EXIT_XSETBV,           /* the guest sets XCR0 */
	EXIT_BACKEND,          /* finished inside the backend (a CR write, an exception reflected) */
	EXIT_WBINVD,           /* WBINVD or INVD: nothing to write back (no device DMA), skipped */
	EXIT_RDPMC,            /* AMD's legacy counters 0-3 (core/exit/vmsr.c), else #GP */
	EXIT_SERVED,           /* a hypercall served on the short way (exit_hypercall_fast) */
	EXIT_REASON_COUNT
};

/* What a backend reports about one exit. */
struct exit_info {
	u32 reason;            /* enum exit_reason */
	u32 raw;               /* the backend's own code, for messages */
	u64 insn_len;          /* length of the exiting instruction, 0 = unknown */
	u64 qual;              /* raw qualification, for messages */
	u8 cpl;                /* the guest's privilege level at the exit */
	bool code64;           /* it was running 64-bit code (CS.L in long mode) */
	union {
		struct {
			u16 port;
			u8 size;       /* 1, 2 or 4 */
			bool in, string, rep;
		} io;
		struct {
			u64 gpa;
			bool read, write, exec;
			bool walk;         /* the access was the guest's own page walk */
			bool delivery;     /* it arose while delivering an event */
		} slat;
		struct {
			const char *what;  /* entry failure, decoded */
		} entry;
		struct act served;     /* EXIT_SERVED: what follows the call */
	};
};

/* Event types for inject(). */
enum event_type { EVENT_EXTINT = 0, EVENT_NMI = 2, EVENT_EXCEPTION = 3 };

#define EXC_DB 1
#define EXC_UD 6
#define EXC_AC 17
#define RFLAGS_IF (1ULL << 9)
#define RFLAGS_RF (1ULL << 16)
#define EXC_GP 13
#define EXC_PF 14

struct backend_ops {
	const char *name;
	/* Reads and prints the CPU's capabilities; 0 when the backend can run
	 * guests here, else a negative value after printing which required
	 * feature is missing. */
	int (*probe)(void);
	/* Turns virtualization on for this CPU (VMXON; EFER.SVME). 0 or < 0. */
	int (*cpu_init)(void);
	/* Allocates v->arch and loads the start state; 0 or < 0. */
	int (*vcpu_init)(struct vcpu *v, const struct vcpu_state *s);
	/* Puts an initialized v back in start state s as vcpu_init left it
	 * (the caller sets the SLAT root and timer again). */
	void (*vcpu_reset)(struct vcpu *v, const struct vcpu_state *s);
	/* Optional: makes the CPU hold v's state that has no VMCS/VMCB field
	 * (VT-x: the SYSCALL and SWAPGS MSRs), before v's slice; every entry
	 * until the next call is v's. */
	void (*load)(struct vcpu *v);
	/* On the CPU v last ran on (or was made or restarted on): this CPU
	 * lets go of v's backend state (VT-x: saves what it holds of v and
	 * clears its VMCS; AMD-V: forgets v's ASID), so that v may next run
	 * on any CPU. Nothing if this CPU holds none of it. */
	void (*release)(struct vcpu *v);
	/* Enters v for at most ticks TSC ticks of guest time (at least 1):
	 * an exit is forced when they are up, interrupts masked or not, as
	 * EXIT_TIMER (VMX preemption timer) or EXIT_EXT_INTR (the LAPIC
	 * timer on AMD-V). Describes the exit in *ei; an exit the backend
	 * finished itself comes back too, as EXIT_BACKEND, so the run loop
	 * counts every exit and sees every chance to end the slice. The one
	 * exception is the short way: a hypercall exit_hypercall_fast served
	 * and let go on is entered again from inside (counted there, and
	 * within the same ticks); one it served but did not let go on comes
	 * back as EXIT_SERVED. */
	void (*run)(struct vcpu *v, u64 ticks, struct exit_info *ei);
	u64 (*get)(struct vcpu *v, enum vreg r);
	void (*set)(struct vcpu *v, enum vreg r, u64 val);
	/* Moves RIP on by len bytes (wrapping at 4 GiB outside 64-bit code, as
	 * the mode at the last exit says) and clears RFLAGS.RF: the
	 * instruction completed. len may be negative, to go back. */
	void (*skip)(struct vcpu *v, u64 len);
	/* Queues an event for the next entry. */
	void (*inject)(struct vcpu *v, u8 vector, enum event_type type,
		       bool has_error, u32 error);
	/* True when an external interrupt injected now would be taken at the
	 * next entry: RFLAGS.IF set, no STI/MOV SS shadow, no event queued. */
	bool (*irq_ready)(struct vcpu *v);
	/* Asks for (or cancels) an EXIT_IRQ_WINDOW as soon as irq_ready. */
	void (*irq_window)(struct vcpu *v, bool on);
	/* True when an NMI injected now would be taken at the next entry: the
	 * guest is not in an NMI handler (before its IRET), no STI/MOV SS
	 * shadow, no event queued. False for good where the CPU cannot
	 * track the guest's NMI blocking apart from the host's. */
	bool (*nmi_ready)(struct vcpu *v);
	/* Asks for (or cancels) an exit as soon as nmi_ready; returns
	 * whether one will come: if not, the caller looks again at an exit
	 * of its own within a bound (AMD-V outside an NMI handler). */
	bool (*nmi_window)(struct vcpu *v, bool on);
	/* Points v at its second-level tables (EPT pointer; nCR3). */
	void (*set_slat_root)(struct vcpu *v, u64 root);
	/* The format of the backend's second-level tables and the largest
	 * page level they may use here (1 = 4K, 2 = 2M, 3 = 1G). */
	const struct pt_format *slat_format;
	u8 (*slat_max_leaf)(void);
	/* XSETBV always exits (VT-x: unconditionally), so v->xcr0 is the
	 * guest's XCR0 at every moment. AMD-V intercepts it too, but QEMU does
	 * not honour that intercept: there the CPU's XCR0 is read back. */
	bool xsetbv_exits;
};

/* The backend in use, chosen at boot by the CPU's vendor features
 * (core/guest/virt.c); set once, before any guest exists. */
extern const struct backend_ops *backend;

#endif
