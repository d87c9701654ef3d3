/* test_config_pool.c - the pool of modems' configuration (imsi, network,
 * failover_after, the networks group; errors with file:line) and the pure
 * routing lookups: a number's network by longest prefix, and which modem
 * takes a down modem's reply or an officer alert (config_pool_pick). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "config/config.h"

#include "config_fixture.h"

#define NETS                                                                                       \
	"networks = ( { name = \"Maxis\"; prefixes = [ \"+6012\", \"+60142\" ]; },\n"              \
	"  { name = \"Celcom\"; prefixes = [ \"+6013\", \"+6019\", \"+601420\" ]; } );\n"
#define POOL4                                                                                      \
	"modems = ( { name = \"m1\"; device = \"/dev/kawan-modem1\"; imsi = \"502120000000001\";"  \
	" network = \"Maxis\"; failover_after = 10.0; },\n"                                        \
	"  { name = \"m2\"; device = \"/dev/kawan-modem2\"; imsi = \"502120000000002\";"           \
	" network = \"Maxis\"; },\n"                                                               \
	"  { name = \"m3\"; device = \"/dev/kawan-modem3\"; network = \"Celcom\"; },\n"            \
	"  { name = \"m4\"; device = \"/dev/kawan-modem4\"; network = \"Celcom\"; role = \"receive\"; } );\n"

static void
test_pool_config(void **state)
{
	static struct kawan_config c;

	(void)state;
	assert_int_equal(load_text(NETS POOL4, &c), 0);
	assert_int_equal(c.nnetworks, 2);
	assert_string_equal(c.networks[1].name, "Celcom");
	assert_int_equal(c.networks[1].nprefixes, 3);
	assert_string_equal(c.modems[0].imsi, "502120000000001");
	assert_string_equal(c.modems[0].network, "Maxis");
	assert_int_equal(c.modems[0].failover_after_ms, 10000);
	assert_int_equal(c.modems[1].failover_after_ms, 300000); /* the default */
	assert_string_equal(c.modems[2].imsi, "");
	/* without networks and imsi: as before */
	assert_int_equal(load_text("modems = ({ name = \"m1\"; device = \"/dev/x\"; });\n", &c), 0);
	assert_int_equal(c.nnetworks, 0);
	assert_string_equal(c.modems[0].imsi, "");
}

static void
test_pool_config_errors(void **state)
{
	(void)state;
	expect_error("modems = ({ name = \"m1\"; device = \"/dev/x\";\n imsi = \"12a45678\"; });\n",
	    2, "imsi must be 6 to 15 digits");
	expect_error("modems = ({ name = \"m1\"; device = \"/dev/x\"; imsi = \"5021201\"; },\n"
		     " { name = \"m2\"; device = \"/dev/y\";\n imsi = \"5021201\"; });\n",
	    3, "imsi 5021201 is modem 'm1''s too");
	expect_error("modems = ({ name = \"m1\"; device = \"/dev/x\";\n network = \"Digi\"; });\n",
	    2, "network 'Digi' is not in 'networks'");
	expect_error(NETS "modems = ({ name = \"m1\"; device = \"/dev/x\";\n"
			  " failover_after = 0.5; });\n",
	    4, "failover_after must be at least 1 second");
	expect_error("modems = ({ name = \"m1\"; device = \"/dev/x\"; });\n"
		     "networks = ( { name = \"A\"; prefixes = [ \"+6012\" ]; },\n"
		     " { name = \"A\"; prefixes = [ \"+6013\" ]; } );\n",
	    3, "network name 'A' is used twice");
	expect_error("modems = ({ name = \"m1\"; device = \"/dev/x\"; });\n"
		     "networks = ( { name = \"A\";\n prefixes = [ \"6012\" ]; } );\n",
	    3, "prefix 1 must be '+' and 1 to 14 digits");
	expect_error("modems = ({ name = \"m1\"; device = \"/dev/x\"; });\n"
		     "networks = ( { name = \"A\"; prefixes = [ ]; } );\n",
	    2, "prefixes must be an array of at least one");
	expect_error("modems = ({ name = \"m1\"; device = \"/dev/x\"; });\n"
		     "networks = ( { name = \"A\"; prefixes = [ \"+6\" ];\n operator = 1; } );\n",
	    3, "operator");
	expect_error("modems = ({ name = \"m1\"; device = \"/dev/x\"; });\n"
		     "networks = ( { prefixes = [ \"+6\" ]; } );\n",
	    2, "has no 'name'");
}

static void
test_network_of(void **state)
{
	static struct kawan_config c;

	(void)state;
	assert_int_equal(load_text(NETS POOL4, &c), 0);
	assert_int_equal(config_network_of(&c, "+60121234567"), 0);
	assert_int_equal(config_network_of(&c, "+60191234567"), 1);
	assert_int_equal(config_network_of(&c, "+60142123456"), 0);
	assert_int_equal(config_network_of(&c, "+60142012345"), 1); /* the longest prefix wins */
	assert_int_equal(config_network_of(&c, "+60111234567"), -1);
	assert_int_equal(config_network_of(&c, "+6012"), 0);
	assert_int_equal(config_network_of(&c, ""), -1);
	assert_int_equal(config_modem_by_imsi(&c, "502120000000002"), 1);
	assert_int_equal(config_modem_by_imsi(&c, ""), -1);
	assert_int_equal(config_modem_find(&c, "m3"), 2);
	assert_int_equal(config_modem_find(&c, "m9"), -1);
}

static void
test_pick(void **state)
{
	static struct kawan_config c;
	bool up[CONFIG_MAX_MODEMS] = { true, true, true, true };
	int seen[CONFIG_MAX_MODEMS] = { 0 };

	(void)state;
	assert_int_equal(load_text(NETS POOL4, &c), 0);
	/* m1 down: a Celcom number goes to m3 (m4 only receives), never m1 */
	up[0] = false;
	for (unsigned s = 0; s < 10; s++)
		assert_int_equal(config_pool_pick(&c, up, "+60131234567", "m1", s), 2);
	/* a Maxis number: m2, the same network as the number and as m1 */
	for (unsigned s = 0; s < 10; s++)
		assert_int_equal(config_pool_pick(&c, up, "+60121234567", "m1", s), 1);
	/* a number of no known network: m1's network first */
	assert_int_equal(config_pool_pick(&c, up, "+6581234567", "m1", 7), 1);
	/* m2 down too: the Maxis number goes to any that may send (m3) */
	up[1] = false;
	assert_int_equal(config_pool_pick(&c, up, "+60121234567", "m1", 0), 2);
	/* m3 down as well: nobody may send (m4 receives only) */
	up[2] = false;
	assert_int_equal(config_pool_pick(&c, up, "+60121234567", "m1", 0), -1);
	/* an alert (no from): its network's modem; equals spread by the salt */
	up[0] = up[1] = up[2] = true;
	for (unsigned s = 0; s < 10; s++)
		seen[config_pool_pick(&c, up, "+60129999999", NULL, s)]++;
	assert_int_equal(seen[0] + seen[1], 10);
	assert_true(seen[0] > 0 && seen[1] > 0);
	assert_int_equal(config_pool_pick(&c, up, "+60139999999", NULL, 3), 2);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_pool_config),
		cmocka_unit_test(test_pool_config_errors),
		cmocka_unit_test(test_network_of),
		cmocka_unit_test(test_pick),
	};

	return cmocka_run_group_tests(tests, cfx_cfg_setup, cfx_cfg_teardown);
}
