//! Themes: the built-in theme works alone; a site's templates/ overrides it.

use crate::support::SiteTest;

#[test]
fn site_templates_override_the_theme() {
    let site = SiteTest::from_fixture("theme/override");
    site.build();
    let page = site.page("en/about/index.html");
    assert_eq!(
        page.one(".site-override").text().collect::<String>(),
        "About us — Skip to content"
    );
    // Templates the site does not override come from the built-in theme.
    assert_eq!(site.page("en/index.html").all("nav.languages").len(), 1);
}

#[test]
fn a_template_error_names_the_template() {
    let site = SiteTest::from_fixture("theme/override");
    site.write(
        "templates/page.html",
        "{% extends \"base.html\" %}{% block main %}{{ missing_variable }}{% endblock main %}",
    );
    let run = site.run(&["build"]);
    assert_eq!(run.code, 1);
    assert!(run.stderr.contains("templates/page.html"), "{}", run.stderr);
    assert!(run.stderr.contains("missing_variable"), "{}", run.stderr);
}
