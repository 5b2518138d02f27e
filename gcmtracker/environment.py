"""Settings from the environment that refuse what they cannot read.

django-environ reads any word it does not know as False (SECURE_SSL_REDIRECT=ture silently
turned the redirect off) and lets a bad number surface as a bare ValueError without the
variable's name. StrictEnv is the same Env with both fixed: a value that does not parse stops
start-up with the variable, its value and what was expected.
"""

import environ
from django.core.exceptions import ImproperlyConfigured

TRUE_WORDS = ("true", "on", "yes", "y", "1")
FALSE_WORDS = ("false", "off", "no", "n", "0")


class StrictEnv(environ.Env):
    @classmethod
    def parse_value(cls, value, cast):
        if cast is bool and isinstance(value, str):
            word = value.strip().lower()
            if word in TRUE_WORDS:
                return True
            if word in FALSE_WORDS:
                return False
            raise ValueError(f"expected true or false ({', '.join(TRUE_WORDS + FALSE_WORDS)})")
        return super().parse_value(value, cast)

    def get_value(self, var, cast=None, default=environ.Env.NOTSET, parse_default=False):
        try:
            return super().get_value(var, cast=cast, default=default, parse_default=parse_default)
        except (ValueError, TypeError) as error:
            kind = getattr(cast, "__name__", "value")
            raise ImproperlyConfigured(
                f"The environment variable {var}={self.ENVIRON.get(var)!r} is not a valid {kind}: {error}"
            ) from None
