"""The idea's own language, and search that ignores accents.

`search_fold(text)` drops the accents of Latin letters (and spells out the
ligatures oe, ae and ss) with core PostgreSQL functions only: the PostgreSQL
shipped for `.local/` has no contrib modules, so the `unaccent` extension is
not everywhere the platform runs. It is applied to the indexed text and to
what people type alike (ideas.services.search), before each language's
stemmer. Existing ideas are indexed again, accents folded, in their brand's
language (their own language is unknown until they are edited).
"""

from django.db import migrations, models

FOLD_FROM = "ÀÁÂÃÄÅÇÈÉÊËÌÍÎÏÑÒÓÔÕÖÙÚÛÜÝàáâãäåçèéêëìíîïñòóôõöùúûüýÿĀāĂăĄąĆćĈĉĊċČčĎďĒēĔĕĖėĘęĚěĜĝĞğĠġĢģĤĥĨĩĪīĬĭĮįİĴĵĶķĹĺĻļĽľŃńŅņŇňŌōŎŏŐőŔŕŖŗŘřŚśŜŝŞşŠšŢţŤťŨũŪūŬŭŮůŰűŲųŴŵŶŷŸŹźŻżŽžſ"
FOLD_TO = "AAAAAACEEEEIIIINOOOOOUUUUYaaaaaaceeeeiiiinooooouuuuyyAaAaAaCcCcCcCcDdEeEeEeEeEeGgGgGgGgHhIiIiIiIiIJjKkLlLlLlNnNnNnOoOoOoRrRrRrSsSsSsSsTtTtUuUuUuUuUuUuWwYyYZzZzZzs"

CREATE_FOLD = f"""
CREATE OR REPLACE FUNCTION search_fold(value text) RETURNS text
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
    SELECT translate(
        replace(replace(replace(replace(replace(value,
            'œ', 'oe'), 'Œ', 'OE'), 'æ', 'ae'), 'Æ', 'AE'), 'ß', 'ss'),
        '{FOLD_FROM}', '{FOLD_TO}')
$$;
"""

REINDEX = """
UPDATE ideas_idea AS idea SET search_vector =
    setweight(to_tsvector(config.name::regconfig, search_fold(idea.title)), 'A')
    || setweight(to_tsvector(config.name::regconfig,
        search_fold(array_to_string(idea.tags, ' '))), 'A')
    || setweight(to_tsvector(config.name::regconfig, search_fold(idea.body)), 'B')
FROM tenants_tenant AS tenant,
    LATERAL (SELECT CASE tenant.default_language
        WHEN 'fr' THEN 'french' WHEN 'es' THEN 'spanish' ELSE 'english' END AS name) AS config
WHERE tenant.id = idea.tenant_id;
"""


class Migration(migrations.Migration):
    dependencies = [
        ("ideas", "0003_media_claim_holder_and_attempts"),
        ("tenants", "0002_languages"),
    ]

    operations = [
        migrations.AddField(
            model_name="idea",
            name="language",
            field=models.CharField(
                blank=True,
                choices=[("fr", "French"), ("es", "Spanish"), ("en", "English")],
                default="",
                max_length=5,
                verbose_name="language",
            ),
        ),
        migrations.RunSQL(CREATE_FOLD, "DROP FUNCTION IF EXISTS search_fold(text);"),
        migrations.RunSQL(REINDEX, migrations.RunSQL.noop),
    ]
