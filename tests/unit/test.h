/* A tiny unit-test framework for host-compiled hypervisor logic.
 *
 *   TEST(name) { CHECK(x == 1); CHECK_EQ(a, b); CHECK_STR(s, "ok"); }
 *
 * Tests register themselves (a constructor per test); main() in runner.c
 * runs them all, prints "PASS name" or "FAIL name: file:line: what" for each,
 * then "N passed, N failed", and exits non-zero on any failure. A failed
 * CHECK ends its test. */
#ifndef TESTS_UNIT_TEST_H
#define TESTS_UNIT_TEST_H

#include <stdint.h>
#include <stdio.h>
#include <string.h>

void test_register(const char *name, void (*fn)(void));
void test_fail(const char *file, int line, const char *what);
extern int test_failed_now;

#define TEST(name)                                                          \
	static void name(void);                                             \
	__attribute__((constructor)) static void register_##name(void)      \
	{                                                                   \
		test_register(#name, name);                                 \
	}                                                                   \
	static void name(void)

#define CHECK(cond)                                                         \
	do {                                                                \
		if (!(cond)) {                                              \
			test_fail(__FILE__, __LINE__, #cond);               \
			return;                                             \
		}                                                           \
	} while (0)

#define CHECK_EQ(a, b)                                                      \
	do {                                                                \
		unsigned long long a_ = (unsigned long long)(a);            \
		unsigned long long b_ = (unsigned long long)(b);            \
		if (a_ != b_) {                                             \
			char m_[256];                                       \
			snprintf(m_, sizeof(m_), "%s == %s (0x%llx != 0x%llx)", \
				 #a, #b, a_, b_);                           \
			test_fail(__FILE__, __LINE__, m_);                  \
			return;                                             \
		}                                                           \
	} while (0)

#define CHECK_STR(a, b)                                                     \
	do {                                                                \
		const char *a_ = (a), *b_ = (b);                            \
		if (strcmp(a_, b_)) {                                       \
			char m_[512];                                       \
			snprintf(m_, sizeof(m_), "%s == \"%s\" (got \"%s\")", \
				 #a, b_, a_);                               \
			test_fail(__FILE__, __LINE__, m_);                  \
			return;                                             \
		}                                                           \
	} while (0)

#endif
