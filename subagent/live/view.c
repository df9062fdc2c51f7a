/*
 * The live view (live/view.h).  One loop: wait for a key, a signal or the
 * next refresh; fetch; draw.  The screen is drawn whole each time from
 * the current record (and the one before it, for rates); nothing else is
 * kept between draws but the sort, the selection and the page.
 *
 * Keys: q quit; < > the sort column; r reverse; s steal, c CPU, m memory,
 * n name; up/down select; Enter or d the selected VM's detail; Esc or b
 * back to the list.
 */
#include "config.h"

#include <curses.h>
#include <locale.h>
#include <poll.h>
#include <stdarg.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/signalfd.h>
#include <unistd.h>

#include "clock.h"
#include "live/view.h"
#include "live/view_cols.h"

#define NAME_W 16
#define MAX_VMS_SHOWN 4096
#define CELL 64

enum { PAIR_STEAL = 1, PAIR_BAD = 2, PAIR_HEAD = 3 };

struct view {
	const struct kt_live_options *o;
	struct kt_source *src;
	struct kt_rec *cur, *base; /* base: the data before cur's */
	const struct kt_vcol *cols[32];
	size_t n_cols;
	size_t sort; /* position in cols; n_cols: the name */
	bool reverse;
	uint32_t selected; /* vmIndex, 0: none */
	uint32_t detail;   /* vmIndex of the detail page, 0: the list */
	char status[256];  /* the last error, "" when fine */
	uint64_t failed_since_ms;
	bool quit;
};

/* Rows in drawing order: vmIndex and the sort value. */
struct vm_order {
	uint32_t vm;
	double key;
	bool has;
	const char *name;
};

static struct view *sort_view; /* qsort has no context argument */

/* Line @y, cut at the screen's width: nothing ever wraps. */
static void put_line(int y, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
static void put_line(int y, const char *fmt, ...)
{
	char buf[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	mvaddnstr(y, 0, buf, COLS);
}

/* Whether @w more columns fit on the current line. */
static bool fits(int w)
{
	return getcurx(stdscr) + w <= COLS;
}

static void refresh_data(struct view *v)
{
	struct kt_want w;
	struct kt_rec *rec = NULL;
	uint64_t now = kt_mono_ns() / 1000000u;

	kt_view_want(v->o->collectors, v->detail, &w);
	if (kt_source_fetch(v->src, &w, &rec, v->status, sizeof(v->status)) !=
	    0) {
		if (v->failed_since_ms == 0)
			v->failed_since_ms = now;
		return;
	}
	v->status[0] = '\0';
	v->failed_since_ms = 0;
	if (v->cur != NULL && rec->seq == v->cur->seq) {
		kt_rec_free(v->cur); /* the same data again: keep base */
	} else {
		kt_rec_free(v->base);
		v->base = v->cur;
	}
	v->cur = rec;
}

static const char *vm_name(const struct kt_rec *r, uint32_t vm)
{
	struct kt_cell c;

	return kt_rec_vm_get(r, &kt_vm_cols, vm, 3, &c) && c.str != NULL ? c.str
									 : "?";
}

static int cmp_order(const void *pa, const void *pb)
{
	const struct vm_order *a = pa, *b = pb;
	int r;

	if (sort_view->sort == sort_view->n_cols)
		r = strcmp(a->name, b->name);
	else if (a->has != b->has)
		return a->has ? -1 : 1; /* the unknown last, always */
	else
		r = a->key > b->key ? -1 : a->key < b->key ? 1 : 0;
	if (r == 0)
		r = a->vm < b->vm ? -1 : 1;
	return sort_view->reverse ? -r : r;
}

static size_t order_vms(struct view *v, struct vm_order *out, size_t max)
{
	const struct kt_rtable *t = kt_rec_table(v->cur, &kt_vm_cols);
	char buf[CELL];
	size_t i, n = 0;

	for (i = 0; i < t->n && n < max; i++, n++) {
		out[n].vm = t->rows[i].idx[0];
		out[n].name = vm_name(v->cur, out[n].vm);
		out[n].has =
			v->sort < v->n_cols &&
			kt_vcol_value(v->cols[v->sort], v->cur, v->base,
				      out[n].vm, &out[n].key, buf, sizeof(buf));
	}
	sort_view = v;
	qsort(out, n, sizeof(out[0]), cmp_order);
	return n;
}

static void host_pct(const struct kt_rec *r, unsigned subid, char *buf,
		     size_t len)
{
	struct kt_cell c;

	if (kt_rec_vm_get(r, &kt_host_cols, 0, subid, &c))
		snprintf(buf, len, "%llu.%02llu%%",
			 (unsigned long long)(c.num / 100),
			 (unsigned long long)(c.num % 100));
	else
		snprintf(buf, len, "-");
}

static unsigned long long host_num(const struct kt_rec *r, unsigned subid)
{
	struct kt_cell c;

	return kt_rec_vm_get(r, &kt_host_cols, 0, subid, &c) ? c.num : 0;
}

static void draw_header(struct view *v)
{
	char us[32], sy[32], id[32], st[32];
	uint64_t total = 0, avail = 0;
	const struct kt_rec *r = v->cur;
	struct kt_cell hn;

	put_line(0, "%s  %s  host %.40s", KT_LIVE_NAME, kt_source_name(v->src),
		 r != NULL && kt_rec_vm_get(r, &kt_host_cols, 0, 1, &hn) &&
				 hn.str != NULL
			 ? hn.str
			 : "-");
	if (r == NULL)
		return;
	host_pct(r, 7, us, sizeof(us));
	host_pct(r, 9, sy, sizeof(sy));
	host_pct(r, 10, id, sizeof(id));
	host_pct(r, 14, st, sizeof(st));
	put_line(1, "CPU %llu cores  user %s  system %s  idle %s  steal %s",
		 host_num(r, 3), us, sy, id, st);
	kt_rec_meminfo(r, "MemTotal", &total);
	kt_rec_meminfo(r, "MemAvailable", &avail);
	put_line(2,
		 "Mem %llu MiB  available %llu MiB  VMs %llu running, %llu "
		 "paused, %llu shut off, %llu other  data age %llu.%llus  "
		 "#%llu",
		 (unsigned long long)total / 1024,
		 (unsigned long long)avail / 1024, host_num(r, 27),
		 host_num(r, 28), host_num(r, 29), host_num(r, 30),
		 (unsigned long long)r->age_ms / 1000,
		 (unsigned long long)(r->age_ms % 1000) / 100,
		 (unsigned long long)r->seq);
}

static void draw_status(struct view *v)
{
	char t[CELL];

	if (v->status[0] != '\0') {
		attron(COLOR_PAIR(PAIR_BAD) | A_BOLD);
		put_line(3, "UNREACHABLE: %s (retrying every %llu ms)",
			 v->status, (unsigned long long)v->o->frequency_ms);
		attroff(COLOR_PAIR(PAIR_BAD) | A_BOLD);
	} else if (v->cur != NULL && !v->cur->connected) {
		attron(COLOR_PAIR(PAIR_BAD) | A_BOLD);
		put_line(3, "STALE: the agent cannot reach libvirt");
		attroff(COLOR_PAIR(PAIR_BAD) | A_BOLD);
	} else {
		put_line(
			3,
			"sort: %s%s  keys: < > r s c m n, Enter detail, q quit",
			v->sort == v->n_cols
				? "name"
				: kt_vcol_title(v->cols[v->sort], t, sizeof(t)),
			v->reverse ? " (reversed)" : "");
	}
}

static int col_width(const struct kt_vcol *c)
{
	char t[CELL];
	int w = (int)strlen(kt_vcol_title(c, t, sizeof(t)));

	return (w < 7 ? 7 : w) + 1;
}

static void draw_list_head(struct view *v, int y)
{
	char t[CELL];
	size_t i;

	attron(A_REVERSE);
	move(y, 0);
	hline(' ', COLS);
	put_line(y, " %-*s", NAME_W, "name");
	for (i = 0; i < v->n_cols && fits(col_width(v->cols[i])); i++)
		printw("%*s", col_width(v->cols[i]),
		       kt_vcol_title(v->cols[i], t, sizeof(t)));
	attroff(A_REVERSE);
}

static void draw_row(struct view *v, int y, const struct vm_order *o)
{
	struct kt_cell valid;
	char buf[CELL];
	double num;
	size_t i;
	bool stale = !kt_rec_vm_get(v->cur, &kt_vm_cols, o->vm, 6, &valid) ||
		     valid.num != 1 || v->status[0] != '\0';

	if (o->vm == v->selected)
		attron(A_UNDERLINE);
	/* '!' marks a row whose data is stale or not all there. */
	put_line(y, "%c%-*.*s", stale ? '!' : ' ', NAME_W, NAME_W, o->name);
	for (i = 0; i < v->n_cols && fits(col_width(v->cols[i])); i++) {
		const struct kt_vcol *c = v->cols[i];
		bool hot;

		kt_vcol_value(c, v->cur, v->base, o->vm, &num, buf,
			      sizeof(buf));
		hot = c->steal && num > 0;
		if (c->steal)
			attron(A_BOLD | (hot ? COLOR_PAIR(PAIR_STEAL) : 0));
		printw("%*s", col_width(c), buf);
		if (c->steal)
			attroff(A_BOLD | COLOR_PAIR(PAIR_STEAL));
	}
	attroff(A_UNDERLINE);
}

static void draw_list(struct view *v)
{
	static struct vm_order order[MAX_VMS_SHOWN];
	size_t n, i, first = 0;
	int top = 5, rows = LINES - top;

	draw_list_head(v, 4);
	if (v->cur == NULL || rows <= 0)
		return;
	n = order_vms(v, order, MAX_VMS_SHOWN);
	for (i = 0; i < n; i++)
		if (order[i].vm == v->selected && i >= (size_t)rows)
			first = i - (size_t)rows + 1;
	if (v->selected == 0 && n > 0)
		v->selected = order[0].vm;
	for (i = first; i < n && (int)(i - first) < rows; i++)
		draw_row(v, top + (int)(i - first), &order[i]);
}

/* A device table of the detail page: a header of JSON keys, its rows. */
static int draw_devs(struct view *v, int y, const char *what,
		     const struct kt_col_set *set, const unsigned *subs,
		     size_t n_subs)
{
	const struct kt_rtable *t = kt_rec_table(v->cur, set);
	size_t first, n = kt_rec_devs(v->cur, set, v->detail, &first), i, k;
	char buf[CELL];

	put_line(y++, "%s: %zu", what, n);
	attron(A_REVERSE);
	move(y, 0);
	hline(' ', COLS);
	for (k = 0; k < n_subs && fits(14); k++)
		printw("%14s", kt_col_known(set, subs[k])->json);
	attroff(A_REVERSE);
	y++;
	for (i = first; i < first + n && y < LINES; i++, y++) {
		move(y, 0);
		for (k = 0; k < n_subs && fits(14); k++) {
			kt_vcol_cell_text(set, &t->rows[i],
					  kt_col_known(set, subs[k]), buf,
					  sizeof(buf));
			printw("%14.13s", buf);
		}
	}
	return y + 1;
}

static void draw_detail(struct view *v)
{
	static const unsigned vcpu[] = { 2, 3, 8, 6, 7 };
	static const unsigned blk[] = { 2, 3, 4, 7, 10 };
	static const unsigned ifs[] = { 2, 3, 4, 6, 10 };
	int y = 5;

	if (v->cur == NULL)
		return;
	attron(A_BOLD);
	put_line(4, "VM %s (index %u)   Esc/b: back",
		 vm_name(v->cur, v->detail), v->detail);
	attroff(A_BOLD);
	y = draw_devs(v, y, "vCPUs", &kt_vcpu_cols, vcpu, 5);
	y = draw_devs(v, y, "disks", &kt_vm_blk_cols, blk, 5);
	draw_devs(v, y, "interfaces", &kt_vm_if_cols, ifs, 5);
}

static void draw(struct view *v)
{
	erase();
	draw_header(v);
	draw_status(v);
	if (v->detail != 0)
		draw_detail(v);
	else
		draw_list(v);
	refresh();
}

/* Moves the selection @by rows in the drawn order. */
static void select_by(struct view *v, int by)
{
	static struct vm_order order[MAX_VMS_SHOWN];
	size_t n, i;

	if (v->cur == NULL)
		return;
	n = order_vms(v, order, MAX_VMS_SHOWN);
	for (i = 0; i < n; i++)
		if (order[i].vm == v->selected) {
			if (by < 0 && i > 0)
				v->selected = order[i - 1].vm;
			else if (by > 0 && i + 1 < n)
				v->selected = order[i + 1].vm;
			return;
		}
}

/* The sort column shown as @subid of @set; stays when not shown. */
static void sort_on(struct view *v, const struct kt_col_set *set,
		    unsigned subid)
{
	size_t i;

	for (i = 0; i < v->n_cols; i++)
		if (v->cols[i]->set == set && v->cols[i]->subid == subid)
			v->sort = i;
}

/* Returns true when the data must be fetched again (the page changed). */
static bool key(struct view *v, int ch)
{
	switch (ch) {
	case 'q':
	case 'Q':
		v->quit = true;
		return false;
	case '<':
		v->sort = v->sort == 0 ? v->n_cols : v->sort - 1;
		break;
	case '>':
		v->sort = v->sort == v->n_cols ? 0 : v->sort + 1;
		break;
	case 'r':
		v->reverse = !v->reverse;
		break;
	case 's':
		sort_on(v, &kt_vm_cpu_cols, 7);
		break;
	case 'c':
		sort_on(v, &kt_vm_cpu_cols, 6);
		break;
	case 'm':
		sort_on(v, &kt_vm_mem_cols, 2);
		break;
	case 'n':
		v->sort = v->n_cols;
		break;
	case KEY_UP:
		select_by(v, -1);
		break;
	case KEY_DOWN:
		select_by(v, 1);
		break;
	case '\n':
	case KEY_ENTER:
	case 'd':
		if (v->detail == 0 && v->selected != 0) {
			v->detail = v->selected;
			return true;
		}
		break;
	case 27:
	case 'b':
	case KEY_BACKSPACE:
		if (v->detail != 0) {
			v->detail = 0;
			return true;
		}
		break;
	default:
		break; /* KEY_RESIZE too: the next draw fits */
	}
	return false;
}

static void start_screen(void)
{
	setlocale(LC_ALL, "");
	initscr();
	cbreak();
	noecho();
	keypad(stdscr, TRUE);
	nodelay(stdscr, TRUE);
	curs_set(0);
	set_escdelay(25);
	if (has_colors()) {
		start_color();
		use_default_colors();
		init_pair(PAIR_STEAL, COLOR_RED, -1);
		init_pair(PAIR_BAD, COLOR_YELLOW, -1);
	}
}

/* Waits for a key or a signal until @until_ms; true: a signal. */
static bool wait_input(int sigfd, uint64_t until_ms)
{
	struct pollfd p[2] = { { STDIN_FILENO, POLLIN, 0 },
			       { sigfd, POLLIN, 0 } };
	uint64_t now = kt_mono_ns() / 1000000u;
	struct signalfd_siginfo si;

	if (poll(p, 2, until_ms > now ? (int)(until_ms - now) : 0) > 0 &&
	    (p[1].revents & POLLIN))
		return read(sigfd, &si, sizeof(si)) == sizeof(si);
	return false;
}

int kt_view_run(const struct kt_live_options *o, struct kt_source *src,
		int sigfd)
{
	struct view v = { .o = o, .src = src };
	uint64_t next = 0;
	size_t i;
	int ch;

	for (i = 0; i < kt_view_n_list_cols && v.n_cols < 32; i++)
		if (kt_view_list_cols[i].collector == 0 ||
		    (o->collectors & kt_view_list_cols[i].collector))
			v.cols[v.n_cols++] = &kt_view_list_cols[i];
	sort_on(&v, &kt_vm_cpu_cols, 6);
	start_screen();
	while (!v.quit) {
		bool refetch = false;

		if (kt_mono_ns() / 1000000u >= next) {
			refresh_data(&v);
			next = kt_mono_ns() / 1000000u + o->frequency_ms;
		}
		draw(&v);
		if (wait_input(sigfd, next))
			break;
		while ((ch = getch()) != ERR && !v.quit)
			refetch |= key(&v, ch);
		if (refetch)
			next = 0;
	}
	endwin();
	kt_rec_free(v.cur);
	kt_rec_free(v.base);
	return 0;
}
