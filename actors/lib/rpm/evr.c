/* rpmvercmp's algorithm, reimplemented so that actors without librpm can order versions. */
#include "rpm.h"

#include <ctype.h>
#include <stdbool.h>
#include <string.h>

int evr_vercmp(const char *a, const char *b)
{
	if (!strcmp(a, b))
		return 0;
	const char *one = a, *two = b;
	while (*one || *two) {
		while (*one && !isalnum((unsigned char)*one) && *one != '~' && *one != '^')
			one++;
		while (*two && !isalnum((unsigned char)*two) && *two != '~' && *two != '^')
			two++;
		/* tilde: sorts before everything, even the end of the string */
		if (*one == '~' || *two == '~') {
			if (*one != '~')
				return 1;
			if (*two != '~')
				return -1;
			one++, two++;
			continue;
		}
		/* caret: sorts after the end of the string, before anything else */
		if (*one == '^' || *two == '^') {
			if (!*one)
				return -1;
			if (!*two)
				return 1;
			if (*one != '^')
				return 1;
			if (*two != '^')
				return -1;
			one++, two++;
			continue;
		}
		if (!*one || !*two)
			break;
		const char *s1 = one, *s2 = two;
		bool num = isdigit((unsigned char)*s1);
		if (num) {
			while (isdigit((unsigned char)*one))
				one++;
			while (isdigit((unsigned char)*two))
				two++;
		} else {
			while (isalpha((unsigned char)*one))
				one++;
			while (isalpha((unsigned char)*two))
				two++;
		}
		if (s2 == two)
			return num ? 1 : -1; /* numeric beats alpha */
		if (num) {
			while (*s1 == '0' && s1 < one - 1)
				s1++;
			while (*s2 == '0' && s2 < two - 1)
				s2++;
			size_t l1 = (size_t)(one - s1), l2 = (size_t)(two - s2);
			if (l1 != l2)
				return l1 > l2 ? 1 : -1;
		}
		size_t l1 = (size_t)(one - s1), l2 = (size_t)(two - s2);
		int r = strncmp(s1, s2, l1 < l2 ? l1 : l2);
		if (r)
			return r < 0 ? -1 : 1;
		if (l1 != l2)
			return l1 < l2 ? -1 : 1;
	}
	if (!*one && !*two)
		return 0;
	return *one ? 1 : -1;
}

int evr_cmp(uint32_t e1, const char *v1, const char *r1, uint32_t e2, const char *v2, const char *r2)
{
	if (e1 != e2)
		return e1 < e2 ? -1 : 1;
	int r = evr_vercmp(v1 ? v1 : "", v2 ? v2 : "");
	if (r || !r1 || !r2)
		return r;
	return evr_vercmp(r1, r2);
}

int evr_release_cmp(const char *a, const char *b)
{
	return evr_vercmp(a, b);
}
