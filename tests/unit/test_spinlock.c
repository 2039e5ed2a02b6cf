/* core/lib/spinlock.c: tickets in order, and the misuse checks the
 * hypervisor installs once it knows its CPUs (here a stand-in CPU whose
 * interrupts the test turns on and off). */
#include <setjmp.h>

#include "core/lib/spinlock.h"
#include "tests/unit/test.h"

static bool irqs;
static jmp_buf back;
static const char *seen;

static u32 self(void)
{
	return 0;
}

static bool irqs_on(void)
{
	return irqs;
}

static NORETURN void misuse(const struct spinlock *l, const char *what)
{
	(void)l;
	seen = what;
	longjmp(back, 1);
}

static const struct spin_checks checks = { self, irqs_on, misuse };

TEST(spinlock_tickets_and_misuse_checks)
{
	static struct spinlock l = SPINLOCK("test");

	spin_checks = NULL;                   /* before the CPUs are known: no checks */
	spin_lock(&l);
	spin_unlock(&l);
	CHECK_EQ(l.next, 1);
	CHECK_EQ(l.serving, 1);
	spin_checks = &checks;
	irqs = false;
	seen = "none";
	if (!setjmp(back)) {
		spin_lock(&l);
		CHECK_EQ(l.holder, 1);
		spin_lock(&l);                /* twice on one CPU */
	}
	CHECK_STR(seen, "taken twice by one CPU");
	l = (struct spinlock)SPINLOCK("test");
	irqs = true;
	seen = "none";
	if (!setjmp(back))
		spin_lock(&l);
	CHECK_STR(seen, "taken with interrupts on");
	CHECK_EQ(l.next, 0);                  /* refused before it took a ticket */
	spin_checks = NULL;
}
