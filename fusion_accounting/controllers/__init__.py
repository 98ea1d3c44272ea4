from . import chat_cards_controller, dashboard_controller
