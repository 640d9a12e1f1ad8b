package bot_test

import (
	"context"
	"fmt"

	"github.com/planbot/planbot/bot"
	"github.com/planbot/planbot/knowledge"
)

func ExampleEngine_Answer() {
	kb, err := knowledge.Load()
	if err != nil {
		fmt.Println(err)
		return
	}
	e, err := bot.New(kb, bot.Options{})
	if err != nil {
		fmt.Println(err)
		return
	}
	ctx := context.Background()
	for _, text := range []string{"Who is Zhangjiajie paired with?", "and Chenzhou?", "张家界和哪个城市结对？"} {
		a := e.Answer(ctx, bot.Question{Text: text, ConversationID: "example"})
		fmt.Println(a.Why.Intent, "|", a.Lines[0])
	}
	// Output:
	// partner_of | Zhangjiajie (Hunan) is paired with Nanjing (Jiangsu).
	// partner_of | Chenzhou (Hunan) is paired with Foshan (Guangdong).
	// partner_of | 张家界市（湖南省）与南京市（江苏省）结对。
}
