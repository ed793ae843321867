"""Checks that a rule of the data model holds where it is written: the database refuses a direct
write that breaks it, naming that rule, and validation gives the rule's message.

What the databases say: PostgreSQL names the constraint (psycopg2's ``diag.constraint_name``),
and a trigger of partners/migrations/0002 raises with the rule's name as its message. SQLite
writes ``CHECK constraint failed: <name>`` and a trigger's message, but for a UNIQUE constraint
only its columns (``UNIQUE constraint failed: table.column, ...``): those are compared with the
columns of the constraint of that name in the model's Meta.constraints. Any other refusal (a NOT
NULL column, another rule) fails the test.
"""

import pytest
from django.apps import apps
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, models, transaction


def model_constraint(name):
    """(model, constraint) for the constraint called ``name`` in some model's Meta.constraints;
    (None, None) for a rule a migration writes by hand (a trigger, an exclusion constraint)."""
    for model in apps.get_models():
        for constraint in model._meta.constraints:
            if constraint.name == name:
                return model, constraint
    return None, None


def violation_message(name):
    """The message full_clean() gives when the constraint called ``name`` is broken."""
    model, constraint = model_constraint(name)
    assert constraint is not None, f"no constraint called {name}"
    return str(constraint.get_violation_error_message())


def validation_messages(instance, **full_clean_options):
    """The messages of the ValidationError that ``instance.full_clean()`` must raise."""
    with pytest.raises(ValidationError) as caught:
        instance.full_clean(**full_clean_options)
    return caught.value.messages


def _columns(model, field_names):
    table = model._meta.db_table
    return ", ".join(f"{table}.{model._meta.get_field(name).column}" for name in field_names)


def _postgresql_names(error):
    """What PostgreSQL names in a refusal: the constraint, or the message a trigger raised."""
    diag = error.__cause__.diag
    return {diag.constraint_name, diag.message_primary} - {None}


def _unique_field_constraints(field):
    """Names PostgreSQL gave the UNIQUE constraint of a ``unique=True`` field."""
    with connection.cursor() as cursor:
        constraints = connection.introspection.get_constraints(cursor, field.model._meta.db_table)
    return {
        name
        for name, about in constraints.items()
        if about["unique"] and about["columns"] == [field.column]
    }


def assert_db_refuses(rule, write):
    """``write()`` fails in the database because it breaks ``rule``, and for no other reason.

    ``rule`` is the name of a constraint (Meta.constraints, or a trigger or exclusion constraint
    written by a migration) or a field declared ``unique=True``.
    """
    with pytest.raises(IntegrityError) as caught, transaction.atomic():
        write()
    error = caught.value
    if isinstance(rule, models.Field):
        if connection.vendor == "postgresql":
            assert _postgresql_names(error) & _unique_field_constraints(rule), str(error)
        else:
            assert str(error) == "UNIQUE constraint failed: " + _columns(rule.model, [rule.name])
        return error
    if connection.vendor == "postgresql":
        assert rule in _postgresql_names(error), f"expected {rule}, got: {error}"
        return error
    model, constraint = model_constraint(rule)
    if isinstance(constraint, models.UniqueConstraint):
        expected = "UNIQUE constraint failed: " + _columns(model, constraint.fields)
    elif isinstance(constraint, models.CheckConstraint):
        expected = f"CHECK constraint failed: {rule}"
    else:
        expected = rule  # a trigger's RAISE(ABORT, '<rule>')
    assert str(error) == expected, f"expected {rule}, got: {error}"
    return error


def assert_refused(rule, build, message=None):
    """The rule holds at both levels: the database refuses ``build().save()`` because of
    ``rule``, and ``full_clean()`` of another ``build()`` gives ``message`` (by default the
    constraint's violation_error_message)."""
    assert_db_refuses(rule, build().save)
    expected = violation_message(rule) if message is None else message
    messages = validation_messages(build())
    assert expected in messages, f"expected {expected!r}, got {messages}"
