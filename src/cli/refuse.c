// SPDX-License-Identifier: MIT
// What a run refuses before it answers: an -o or --html that would overwrite an input, sides that cannot be compared.
#include "refuse.h"

#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "lc/util.h"

/*
 * One output path (what names the option, "-o" or "--html"): it must not name an input, the
 * baseline or the suppressions file (the report would overwrite the log it is about), and
 * must be a place we can write, so a long run does not end in a failed write. The probe
 * creates no file that was not there.
 * Returns 0; -1 when refused, reported.
 */
static int refuse_path(const struct lc_options *opt, const char *what, const char *path)
{
	struct stat os;
	bool exists = stat(path, &os) == 0;
	if (exists && S_ISREG(os.st_mode)) {
		const char *others[] = { opt->baseline, opt->suppressions };
		for (size_t i = 0; i < opt->ninputs + 2; i++) {
			const char *in = i < opt->ninputs ? opt->inputs[i] : others[i - opt->ninputs];
			struct stat is;
			if (in && strcmp(in, "-") != 0 && stat(in, &is) == 0 && is.st_dev == os.st_dev &&
			    is.st_ino == os.st_ino)
				return lc_error("%s %s: that is the input %s; the report would overwrite it (give another "
						"file)",
						what, path, in);
		}
	}
	if (exists && S_ISDIR(os.st_mode))
		return lc_error("%s: %s", path, strerror(EISDIR));
	int fd = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0666);
	if (fd < 0)
		return lc_error("%s: %s", path, strerror(errno));
	close(fd);
	if (!exists)
		unlink(path);
	return 0;
}

/* -o and --html, each as refuse_path says, and never the same file: one would overwrite the other. */
int lc_refuse_output(const struct lc_options *opt)
{
	if (opt->output && refuse_path(opt, "-o", opt->output) < 0)
		return -1;
	if (!opt->html)
		return 0;
	if (refuse_path(opt, "--html", opt->html) < 0)
		return -1;
	struct stat a, b;
	if (opt->output && (strcmp(opt->output, opt->html) == 0 ||
			    (stat(opt->output, &a) == 0 && stat(opt->html, &b) == 0 && a.st_dev == b.st_dev &&
			     a.st_ino == b.st_ino)))
		return lc_error("--html %s: that is the -o file too; give the page a file of its own", opt->html);
	return 0;
}

/* The kind of a side, for messages: what it was made from. */
static const char *side_kind(const struct lc_side *s)
{
	if (s->has_server && s->has_debug)
		return "a server log with call stacks (server + buffer debug log)";
	if (s->has_server)
		return "a server log without call stacks";
	if (s->has_debug)
		return "a buffer debug log without a server log";
	return "no log at all";
}

/*
 * Two sides are compared only when they hold the same kinds of figures and were grouped the
 * same way; otherwise every site would be "new" or "gone" for no reason in the logs.
 * Returns 0; -1 when refused, reported.
 */
int lc_refuse_unlike(const char *what, const struct lc_side *a, const char *an, const struct lc_side *b,
			    const char *bn)
{
	if (a->has_server != b->has_server || a->has_debug != b->has_debug)
		return lc_error("%s: %s holds %s, %s holds %s; they cannot be compared (make both from the same "
				"kinds of logs)",
				what, an, side_kind(a), bn, side_kind(b));
	if (!lc_side_grouped_as(a, b->stack_depth, (const char *const *)b->skip, b->nskip))
		return lc_error("%s: %s and %s were grouped with other options (--stack-depth/--skip-frames); make "
				"them again with the same options",
				what, an, bn);
	return 0;
}

