/* ticker: sleeps and wakes every 2 ms, for good, beside a guest that runs
 * user mode (tests/linux/e2e/linux-ticking): each wake is a guest switch
 * in the middle of the other's work. Says how it goes once a second: wakes
 * so far and the latest a wake has come. It never stops: run_until= ends
 * the run with the other guest. */
#include "guests/rt/rt.h"

#define STEP_NS 2000000ULL

int main(void)
{
	uint64_t hz, now, due, late, worst = 0;

	hv1_get_time(&hz, &now);
	due = now;
	for (uint64_t n = 1;; n++) {
		due += STEP_NS;
		hv1_sleep_until(due);
		hv1_get_time(&hz, &now);
		late = now > due ? now - due : 0;
		worst = late > worst ? late : worst;
		if (now - due > 100 * STEP_NS)
			due = now;               /* far behind: start counting from now */
		if (n % 500 == 0)
			rt_printf("ticker: %lu wakes, the latest %lu us late\n", n, worst / 1000);
	}
}
